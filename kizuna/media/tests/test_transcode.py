"""Uploads become H.264/AAC MP4 files with fast start and a poster, or fail with a reason."""

import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from kizuna.media.models import Video
from kizuna.media.services import MediaError, video_create, video_delete, video_transcode

# The transcoder's files as laid out on the local disk (ffprobe reads them there); into a bucket: test_object_storage.py.
pytestmark = pytest.mark.local_files


def streams_of(path: Path) -> dict:
    done = subprocess.run(
        ["/usr/bin/ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        capture_output=True,
        check=True,
    )
    return json.loads(done.stdout)


def top_level_atoms(path: Path) -> list[str]:
    """Return the names of the top-level boxes of an MP4 file, in file order."""
    data, names, offset = path.read_bytes(), [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        names.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return names


def media_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def test_it_makes_h264_aac_mp4_with_fast_start_and_a_poster(make_video):
    video = make_video()
    assert video.status == Video.Status.READY
    assert video.ready_at is not None
    assert video.error == ""
    mp4 = media_path(video.mp4.name)
    info = streams_of(mp4)
    codecs = {s["codec_type"]: s for s in info["streams"]}
    assert codecs["video"]["codec_name"] == "h264"
    assert codecs["video"]["pix_fmt"] == "yuv420p"
    assert codecs["audio"]["codec_name"] == "aac"
    assert "mp4" in info["format"]["format_name"]
    atoms = top_level_atoms(mp4)
    assert atoms.index("moov") < atoms.index("mdat")
    assert (video.width, video.height) == (320, 240)
    assert 1.9 < video.duration_seconds < 2.2
    poster = media_path(video.poster.name).read_bytes()
    assert poster[:3] == b"\xff\xd8\xff"  # a JPEG


def test_it_stores_files_under_the_key_never_the_users_file_name(make_video, media_files):
    video = make_video()
    folder = Path(settings.MEDIA_ROOT) / "videos" / str(video.key)
    # Beside them, the HLS packaging made after the transcode (tested in test_hls.py): same folder, fixed names.
    assert [f for f in media_files() if "hls" not in f.parts and f.name != "phone.mp4"] == [
        folder / "original",
        folder / "poster.jpg",
        folder / "video.mp4",
    ]
    assert video.original.name == f"videos/{video.key}/original"


def test_it_adds_a_silent_sound_track_to_a_video_without_sound(make_video, clips):
    video = make_video(clips.no_audio)
    kinds = [s["codec_type"] for s in streams_of(media_path(video.mp4.name))["streams"]]
    assert kinds.count("audio") == 1


def test_it_shrinks_portrait_video_to_720p_keeping_its_shape(make_video, clips):
    video = make_video(clips.portrait)
    assert (video.width, video.height) == (720, 1280)


def test_it_makes_odd_sizes_even(make_video, clips):
    video = make_video(clips.odd_mjpeg)
    assert video.status == Video.Status.READY
    assert video.width % 2 == 0 and video.height % 2 == 0
    assert abs(video.width / video.height - 321 / 241) < 0.02


def test_it_is_idempotent(make_video, media_files):
    video = make_video()
    mp4 = media_path(video.mp4.name)
    before = (mp4.stat().st_mtime_ns, media_files())
    again = video_transcode(video=video)
    assert again.status == Video.Status.READY
    assert (mp4.stat().st_mtime_ns, media_files()) == before


def test_it_redoes_a_failed_transcode_without_leftovers(make_video, media_files, settings):
    settings.FFMPEG_BINARY = "/bin/false"
    video = make_video()
    assert video.status == Video.Status.FAILED
    settings.FFMPEG_BINARY = "ffmpeg"
    video = video_transcode(video=video)
    assert video.status == Video.Status.READY
    assert [p.name for p in media_files()] == ["original", "poster.jpg", "video.mp4"]


def test_it_marks_the_video_failed_with_a_reason_when_ffmpeg_fails(make_video, media_files, settings, caplog):
    settings.FFMPEG_BINARY = "/bin/false"
    video = make_video()
    video.refresh_from_db()
    assert video.status == Video.Status.FAILED
    assert "ffmpeg failed (exit 1)" in video.error
    assert f"video_id={video.pk}" in caplog.text
    assert [p.name for p in media_files()] == ["original"]


def test_it_queues_the_transcode_only_after_the_upload_is_committed(cast, clips, as_upload):
    video = video_create(uploaded_by=cast.author, file=as_upload(clips.with_audio))
    # Inside the test's transaction the commit never comes, so nothing has run yet.
    video.refresh_from_db()
    assert video.status == Video.Status.PROCESSING


def test_it_refuses_an_oversize_upload_and_leaves_nothing(cast, clips, as_upload, settings, media_files):
    settings.VIDEO_MAX_UPLOAD_MB = 0
    with pytest.raises(MediaError) as caught:
        video_create(uploaded_by=cast.author, file=as_upload(clips.with_audio))
    assert caught.value.message == "ファイルが大きすぎます(上限 0MB)。短い動画に分けてアップロードしてください。"
    assert media_files() == []
    assert not Video.objects.exists()


def test_it_refuses_a_picture_upload_and_leaves_nothing(cast, clips, as_upload, media_files):
    with pytest.raises(MediaError):
        video_create(uploaded_by=cast.author, file=as_upload(clips.png_named_mp4))
    assert media_files() == []
    assert list(Path(settings.MEDIA_WORK_DIR).iterdir()) == []  # the staged upload was removed too
    assert not Video.objects.exists()


def test_delete_removes_the_row_and_its_files(make_ready_video, media_files, django_capture_on_commit_callbacks):
    video = make_ready_video()
    with django_capture_on_commit_callbacks(execute=True):
        video_delete(video=video)
    assert not Video.objects.exists()
    assert media_files() == []


def test_delete_refuses_a_video_that_a_draft_lesson_shows(make_ready_video, cast, media_files):
    from kizuna.catalog import services as catalog

    video = make_ready_video()
    course = catalog.course_create(author=cast.author, title="商談の基本", slug="sales-basics")
    module = catalog.module_create(course=course, title="はじめに")
    catalog.lesson_create(module=module, kind="video", title="最初の一言", video=video)
    with pytest.raises(MediaError, match="最初の一言"):
        video_delete(video=video)
    assert Video.objects.filter(pk=video.pk).exists()
    assert len(media_files()) == 3
