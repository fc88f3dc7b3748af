"""Adaptive streaming (HLS) of a ready video: renditions, playlists, and a phone-sized MP4.

After the MP4 is made, the same ffmpeg pipeline packages it again as HLS, in one run, so the renditions'
keyframes fall at the same instants (every ``SEGMENT_SECONDS``) and a player can switch between them at
any segment. Stored beside the MP4:

    videos/<key>/hls/master.m3u8                   the master playlist, smallest rendition first
    videos/<key>/hls/<name>/index.m3u8             one rendition's playlist (<name>: 360p, 540p, 720p)
    videos/<key>/hls/<name>/init_<n>.mp4           its fMP4 initialization segment
    videos/<key>/hls/<name>/seg-<nnnnn>.m4s        its segments (H.264 + AAC, 2 s each)
    videos/<key>/phone.mp4                         the smallest rendition as one MP4 (kept for offline)

Renditions are sized by the source (its shorter side), never larger: below 360p there is one rendition at
the source's size. The master is stored last and recorded last, so a video has HLS only once every file is
stored; a run again (a worker killed mid-way) starts over and stores the same names over the earlier files.

Playlists are always sent by the app after its access check. On local disk their relative segment
addresses come back to the app (access-checked too); with a bucket (STORAGE_URL=s3://…) the app writes
each segment's short-lived signed URL into the rendition playlist it sends, so segments come straight
from the bucket and the playlist is the only thing the app sends.
"""

import logging
import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kizuna.ops.storage import (
    storage_is_remote,
    stored_exists,
    stored_local_copy,
    stored_move_in,
    stored_open,
    stored_signed_url,
    work_folder,
    work_folders_clear,
)

from .models import Video
from .services import MediaError, _run, video_probe

logger = logging.getLogger(__name__)

# 2 s, not the usual 4 s: on a 1.6 Mbit/s, 150 ms 3G link the first 360p segment then arrives in time for a
# start under two seconds (bench/video_start.py: 1.3–1.75 s with 2 s segments, 2.1–2.35 s with 4 s; bench/README.md).
SEGMENT_SECONDS = 2
# The rungs of the ladder by the picture's shorter side, and what each is encoded at.
RUNGS = (360, 540, 720)
BASE_KBPS = 500  # the 360p rendition: starts within two seconds on a 1.6 Mbps 3G link
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
_FILE_NAME = re.compile(r"^(index\.m3u8|init(_\d{1,2})?\.mp4|seg-\d{5}\.m4s)$")
_RENDITION_NAME = re.compile(r"^\d{2,4}p$")
_MAP_URI = re.compile(r'URI="([^"]+)"')


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    video_kbps: int
    audio_kbps: int


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def _kbps(short_side: int) -> int:
    # Bits grow a little slower than pixels: 360p 500, 540p ~920, 720p ~1410 kbps.
    return int(round(BASE_KBPS * ((short_side / 360) ** 2) ** 0.75 / 10) * 10)


def hls_ladder(width: int, height: int) -> list[Rendition]:
    """Return the renditions for a picture of this size, smallest first; none is larger than the picture."""
    short, long_ = min(width, height), max(width, height)
    sides = [rung for rung in RUNGS if rung < short * 0.9]
    sides.append(min(short, RUNGS[-1]))
    ladder = []
    for side in sides:
        other = long_ if side == short else _even(long_ * side / short)
        w, h = (other, side) if width >= height else (side, other)
        if side == short:
            w, h = width, height
        ladder.append(Rendition(f"{side}p", w, h, _kbps(side), 64 if side <= 360 else 96))
    return ladder


def _hls_folder(key: uuid.UUID) -> str:
    return f"videos/{key}/hls"


def _package_command(
    source: Path, out: Path, ladder: list[Rendition], *, segment_seconds: int = SEGMENT_SECONDS
) -> list[str]:
    splits = "".join(f"[s{i}]" for i in range(len(ladder)))
    graph = [f"[0:v]split={len(ladder)}{splits}"]
    graph += [f"[s{i}]scale={r.width}:{r.height},setsar=1[v{i}]" for i, r in enumerate(ladder)]
    command = [settings.FFMPEG_BINARY, "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", str(source)]
    command += ["-filter_complex", ";".join(graph)]
    for i in range(len(ladder)):
        command += ["-map", f"[v{i}]", "-map", "0:a:0"]
    command += ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p"]
    for i, r in enumerate(ladder):
        command += [
            f"-b:v:{i}", f"{r.video_kbps}k", f"-maxrate:v:{i}", f"{int(r.video_kbps * 1.1)}k",
            f"-bufsize:v:{i}", f"{r.video_kbps * 2}k", f"-b:a:{i}", f"{r.audio_kbps}k",
        ]  # fmt: skip
    command += [
        # The same keyframe instants in every rendition: segments line up and a player can switch at any one.
        "-force_key_frames", f"expr:gte(t,n_forced*{segment_seconds})", "-sc_threshold", "0",
        "-c:a", "aac", "-ac", "2", "-ar", "48000",
        "-map_metadata", "-1", "-map_chapters", "-1",
        "-f", "hls", "-hls_time", str(segment_seconds), "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", str(out / "%v" / "seg-%05d.m4s"),
        "-master_pl_name", "master.m3u8",
        "-var_stream_map", " ".join(f"v:{i},a:{i},name:{r.name}" for i, r in enumerate(ladder)),
        str(out / "%v" / "index.m3u8"),
    ]  # fmt: skip
    return command


def _phone_command(playlist: Path, target: Path) -> list[str]:
    # The smallest rendition's segments copied into one MP4 with fast start: no second encode.
    return [
        settings.FFMPEG_BINARY, "-nostdin", "-hide_banner", "-v", "error", "-y",
        "-allowed_extensions", "ALL", "-i", str(playlist),
        "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(target),
    ]  # fmt: skip


def _bandwidths(master: str) -> dict[str, int]:
    """Return {rendition name: BANDWIDTH} read from a master playlist ffmpeg wrote."""
    found: dict[str, int] = {}
    bandwidth = 0
    for line in master.splitlines():
        if line.startswith("#EXT-X-STREAM-INF:"):
            match = re.search(r"(?:^|[:,])BANDWIDTH=(\d+)", line)
            bandwidth = int(match.group(1)) if match else 0
        elif line and not line.startswith("#"):
            found[line.split("/", 1)[0]] = bandwidth
    return found


def video_hls_package(*, video: Video) -> Video:
    """Package a ready video as HLS (renditions, playlists) and a phone-sized MP4; record why if it cannot.

    Safe to run again from the start after a killed worker: scratch files of the earlier run are removed,
    files are stored under fixed names over whatever an earlier run stored, and the master playlist is
    stored and recorded last. A video already packaged is left as it is.
    """
    if not video.is_ready or not video.mp4:
        return video
    if video.hls_master and stored_exists(video.hls_master.name):
        return video
    folder = _hls_folder(video.key)
    label = f"hls-{video.key}"
    work_folders_clear(label)
    try:
        with work_folder(label) as work, stored_local_copy(video.mp4.name, label=label) as source:
            probe = video_probe(path=source)
            ladder = hls_ladder(probe.width, probe.height)
            out = work / "hls"
            for rendition in ladder:
                (out / rendition.name).mkdir(parents=True)
            _run(_package_command(source, out, ladder), timeout=600 + 10 * probe.duration)
            phone_part = work / "phone.part"
            _run(_phone_command(out / ladder[0].name / "index.m3u8", phone_part), timeout=300)
            master_text = (out / "master.m3u8").read_text()
            bandwidths = _bandwidths(master_text)
            for rendition in ladder:
                for path in sorted((out / rendition.name).iterdir()):
                    stored_move_in(path, f"{folder}/{rendition.name}/{path.name}", replace=True)
            phone = stored_move_in(phone_part, f"videos/{video.key}/phone.mp4", replace=True)
            master = stored_move_in(out / "master.m3u8", f"{folder}/master.m3u8", replace=True)
    except (MediaError, subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        reason = error.message if isinstance(error, MediaError) else f"{type(error).__name__}: {error}"
        logger.error("video hls packaging failed: video_id=%s key=%s reason=%s", video.pk, video.key, reason)
        video.hls_error = reason[:2000]
        Video.objects.filter(pk=video.pk).update(hls_error=video.hls_error)
        return video
    video.hls_master.name, video.phone_mp4.name, video.hls_error = master, phone, ""
    video.hls_renditions = [
        {"name": r.name, "width": r.width, "height": r.height, "bandwidth": bandwidths.get(r.name, 0)} for r in ladder
    ]
    fields = ["hls_master", "phone_mp4", "hls_renditions", "hls_error"]
    Video.objects.filter(pk=video.pk).update(**{f: getattr(video, f) for f in fields})
    return video


def video_hls_abandon(*, video_id: int, reason: str) -> None:
    """Record that packaging a video as HLS was given up (its task kept failing); the MP4 still plays."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None or video.hls_master:
        return
    work_folders_clear(f"hls-{video.key}")
    logger.error("video hls packaging given up: video_id=%s reason=%s", video_id, reason)
    Video.objects.filter(pk=video_id).update(hls_error=reason[:2000])


def hls_file_name(video: Video, rendition: str, name: str) -> str | None:
    """Return the storage name of one of a video's HLS files, or None if no such file can exist."""
    if not video.hls_master or not _RENDITION_NAME.match(rendition) or not _FILE_NAME.match(name):
        return None
    if rendition not in {r.get("name") for r in video.hls_renditions}:
        return None
    return f"{_hls_folder(video.key)}/{rendition}/{name}"


def _signed(folder: str, uri: str) -> str:
    if not _FILE_NAME.match(uri):
        return uri
    content_type = "video/mp4" if uri.endswith(".mp4") else "video/iso.segment"
    return stored_signed_url(f"{folder}/{uri}", content_type=content_type)


def hls_playlist_text(video: Video, rendition: str = "") -> str | None:
    """Return a playlist to send (the master, or a rendition's), or None if it is not stored.

    With a bucket, a rendition's segments are written as short-lived signed URLs of the bucket.
    """
    name = video.hls_master.name if not rendition else hls_file_name(video, rendition, "index.m3u8")
    if not name:
        return None
    try:
        with stored_open(name) as handle:
            text = handle.read().decode("utf-8")
    except FileNotFoundError:
        return None
    if not rendition or not storage_is_remote():
        return text
    folder = f"{_hls_folder(video.key)}/{rendition}"
    lines = []
    for line in text.splitlines():
        if line.startswith("#EXT-X-MAP:"):
            line = _MAP_URI.sub(lambda m: f'URI="{_signed(folder, m.group(1))}"', line)
        elif line and not line.startswith("#"):
            line = _signed(folder, line)
        lines.append(line)
    return "\n".join(lines) + "\n"


def hls_backfill_candidates() -> list[int]:
    """Return the ids of ready videos not yet packaged as HLS, oldest first."""
    return list(
        Video.objects.filter(status=Video.Status.READY, hls_master="")
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
