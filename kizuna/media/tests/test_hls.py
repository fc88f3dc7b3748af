"""Ready videos are also packaged for adaptive streaming (HLS): renditions sized by the source, never larger,
aligned 2-second fMP4 segments, a valid master playlist, a phone-sized MP4, and every file sent after the
access check."""

import io
import json
import math
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import publish_course
from kizuna.media.hls import SEGMENT_SECONDS, hls_ladder, video_hls_package
from kizuna.media.models import Video

# HLS packaging's files on the local disk, served by the app; from a bucket: test_hls_bucket.py.
pytestmark = pytest.mark.local_files

FFMPEG, FFPROBE = "/usr/bin/ffmpeg", "/usr/bin/ffprobe"


@pytest.fixture(scope="session")
def clip_540p(tmp_path_factory) -> Path:
    """9 s at 960x540 with sound: two renditions (360p, 540p), several segments each."""
    path = tmp_path_factory.mktemp("hls") / "clip540.mp4"
    subprocess.run(
        [FFMPEG, "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=960x540:rate=10",
         "-f", "lavfi", "-i", "sine=frequency=440", "-t", "9", "-c:v", "libx264", "-preset", "ultrafast",
         "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)],
        check=True, timeout=120,
    )  # fmt: skip
    return path


@pytest.fixture
def video_540p(make_video, clip_540p):
    return make_video(clip_540p)


def media(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def probe(*paths: Path) -> dict:
    """ffprobe the concatenation of the given files (an init segment and a media segment play as one)."""
    data = b"".join(p.read_bytes() for p in paths)
    done = subprocess.run(
        [FFPROBE, "-v", "error", "-print_format", "json", "-show_streams", "-show_format", "-"],
        input=data, capture_output=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def first_frame_is_keyframe(*paths: Path) -> bool:
    data = b"".join(p.read_bytes() for p in paths)
    done = subprocess.run(
        [FFPROBE, "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=flags", "-read_intervals",
         "%+#1", "-of", "csv=p=0", "-"],
        input=data, capture_output=True, check=True,
    )  # fmt: skip
    return done.stdout.decode().strip().splitlines()[0].startswith("K")


def parse_media_playlist(text: str) -> tuple[str, list[tuple[float, str]]]:
    lines = text.strip().splitlines()
    assert lines[0] == "#EXTM3U"
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in lines and lines[-1] == "#EXT-X-ENDLIST"
    target = int(next(line for line in lines if line.startswith("#EXT-X-TARGETDURATION:")).split(":")[1])
    init = next(line for line in lines if line.startswith("#EXT-X-MAP:")).split('URI="')[1].rstrip('"')
    segments = []
    for i, line in enumerate(lines):
        if line.startswith("#EXTINF:"):
            segments.append((float(line[8:].split(",")[0]), lines[i + 1]))
    assert segments and all(seconds <= target + 0.5 for seconds, _ in segments)
    return init, segments


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1280, 720), [(640, 360), (960, 540), (1280, 720)]),
        ((960, 540), [(640, 360), (960, 540)]),
        ((720, 1280), [(360, 640), (540, 960), (720, 1280)]),
        ((854, 480), [(640, 360), (854, 480)]),
        ((320, 240), [(320, 240)]),
        ((640, 360), [(640, 360)]),
    ],
)
def test_the_ladder_is_sized_by_the_source_and_never_upscales(size, expected):
    ladder = hls_ladder(*size)
    assert [(r.width, r.height) for r in ladder] == expected
    assert all(r.width <= size[0] and r.height <= size[1] for r in ladder)
    assert [r.video_kbps for r in ladder] == sorted(r.video_kbps for r in ladder)
    assert ladder[0].video_kbps <= 500


def test_a_ready_video_gets_aligned_renditions_a_master_playlist_and_a_phone_mp4(video_540p):
    video = Video.objects.get(pk=video_540p.pk)
    assert video.hls_error == ""
    assert video.hls_master.name == f"videos/{video.key}/hls/master.m3u8"
    assert [r["name"] for r in video.hls_renditions] == ["360p", "540p"]

    master = media(video.hls_master.name).read_text().splitlines()
    assert master[0] == "#EXTM3U"
    variants = [(master[i], master[i + 1]) for i, line in enumerate(master) if line.startswith("#EXT-X-STREAM-INF:")]
    assert [uri for _info, uri in variants] == ["360p/index.m3u8", "540p/index.m3u8"]  # smallest first: fast start
    assert "RESOLUTION=640x360" in variants[0][0] and "RESOLUTION=960x540" in variants[1][0]
    assert all('CODECS="avc1.' in info and "mp4a.40.2" in info for info, _uri in variants)

    counts = []
    for rendition in video.hls_renditions:
        folder = media(f"videos/{video.key}/hls/{rendition['name']}")
        init, segments = parse_media_playlist((folder / "index.m3u8").read_text())
        assert 8.9 < sum(seconds for seconds, _ in segments) < 9.2
        assert [seconds for seconds, _ in segments][:2] == [SEGMENT_SECONDS] * 2
        counts.append(len(segments))
        for _seconds, name in segments:
            # Every segment starts on a keyframe at the same instant in every rendition: players switch anywhere.
            assert first_frame_is_keyframe(folder / init, folder / name)
        info = probe(folder / init, folder / segments[0][1])
        streams = {s["codec_type"]: s for s in info["streams"]}
        assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
        assert (streams["video"]["width"], streams["video"]["height"]) == (rendition["width"], rendition["height"])
        assert rendition["bandwidth"] > 0
    assert counts[0] == counts[1] == math.ceil(9 / SEGMENT_SECONDS)

    phone = probe(media(video.phone_mp4.name))
    picture = next(s for s in phone["streams"] if s["codec_type"] == "video")
    assert (picture["width"], picture["height"]) == (640, 360)
    assert 8.9 < float(phone["format"]["duration"]) < 9.2
    rate = media(video.phone_mp4.name).stat().st_size * 8 / float(phone["format"]["duration"])
    assert rate < 700_000  # the 360p rendition's rate, copied, not encoded again


def test_a_small_video_gets_one_rendition_at_its_own_size(make_video):
    video = make_video()  # 320x240
    video.refresh_from_db()
    assert [(r["width"], r["height"]) for r in video.hls_renditions] == [(320, 240)]
    assert media(video.phone_mp4.name).is_file()


def test_packaging_again_after_a_killed_worker_starts_over_and_leaves_no_scratch_files(video_540p):
    video = Video.objects.get(pk=video_540p.pk)
    first = media(f"videos/{video.key}/hls/360p/seg-00000.m4s").read_bytes()
    # A worker killed mid-way: its scratch folder stays, some files are stored, the master is not recorded.
    leftover = Path(settings.MEDIA_WORK_DIR) / f"hls-{video.key}-deadbeef"
    (leftover / "hls").mkdir(parents=True)
    (leftover / "hls" / "half.m4s").write_bytes(b"half")
    media(video.hls_master.name).unlink()
    media(f"videos/{video.key}/hls/360p/seg-00000.m4s").write_bytes(b"half-written")
    Video.objects.filter(pk=video.pk).update(hls_master="", hls_renditions=[])

    video_hls_package(video=Video.objects.get(pk=video.pk))

    video.refresh_from_db()
    assert video.hls_master and media(video.hls_master.name).is_file()
    assert len(media(f"videos/{video.key}/hls/360p/seg-00000.m4s").read_bytes()) == len(first)
    assert not leftover.exists()
    assert list(Path(settings.MEDIA_WORK_DIR).glob(f"hls-{video.key}-*")) == []
    # And a packaged video is left alone.
    stamp = media(video.hls_master.name).stat().st_mtime_ns
    video_hls_package(video=video)
    assert media(video.hls_master.name).stat().st_mtime_ns == stamp


def without_hls(video):
    """The video as made before HLS existed: the MP4 and poster only."""
    Video.objects.filter(pk=video.pk).update(hls_master="", hls_renditions=[], phone_mp4="", hls_error="")
    return Video.objects.get(pk=video.pk)


def test_a_video_ffmpeg_cannot_package_keeps_playing_as_mp4_with_the_reason_recorded(make_ready_video, settings):
    video = without_hls(make_ready_video())
    settings.FFMPEG_BINARY = "/bin/false"
    video = video_hls_package(video=video)
    video.refresh_from_db()
    assert video.status == Video.Status.READY and video.hls_master.name == ""
    assert "CalledProcessError" in video.hls_error


def test_the_backfill_packages_the_ready_videos_that_have_no_hls(make_ready_video):
    old = without_hls(make_ready_video())
    assert old.hls_master.name == ""
    call_command("video_hls_backfill", "--now", stdout=io.StringIO())
    old.refresh_from_db()
    assert old.hls_master.name and media(old.hls_master.name).is_file()


def test_playlists_and_segments_are_sent_only_to_people_who_may_watch(cast, video_540p):
    video = Video.objects.get(pk=video_540p.pk)
    publish_course(cast, slug="hls", title="商談", lessons=[{"kind": "video", "title": "一言", "video": video}])
    rep, outsider = Client(), Client()
    rep.force_login(cast.rep_a1)
    outsider.force_login(cast.rep_b1)
    master_url = reverse("media:video_hls_master", args=[video.key])
    playlist_url = reverse("media:video_hls_file", args=[video.key, "360p", "index.m3u8"])
    segment_url = reverse("media:video_hls_file", args=[video.key, "360p", "seg-00001.m4s"])

    master = rep.get(master_url)
    assert master.status_code == 200
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    assert "private" in master["Cache-Control"]
    playlist = rep.get(playlist_url)
    assert playlist.status_code == 200 and "seg-00001.m4s" in playlist.content.decode()
    segment = rep.get(segment_url, headers={"Range": "bytes=0-99"})
    assert segment.status_code == 206
    assert rep.get(reverse("media:video_phone", args=[video.key])).status_code == 200

    for url in (master_url, playlist_url, segment_url, reverse("media:video_phone", args=[video.key])):
        assert outsider.get(url).status_code == 404
    for rendition, name in (("720p", "index.m3u8"), ("360p", "../video.mp4"), ("360p", "seg-1.m4s")):
        assert rep.get(f"/videos/{video.key}/hls/{rendition}/{name}").status_code == 404
