"""Writes of media: checking an upload by its content, storing it, transcoding it, deleting it.

Files are stored through the storage API (``kizuna.ops.storage``: local disk, or a bucket with
STORAGE_URL) in one folder per video, named by the video's random key, never by the uploader's
file name:

    videos/<key>/original    the upload as received
    videos/<key>/video.mp4   H.264/AAC MP4 with fast start, at most 720p
    videos/<key>/poster.jpg  a frame near the start

ffmpeg and ffprobe need local paths: they read a local copy of the stored file (the file itself on
local disk) and write into a scratch folder, and only finished files are stored.
"""

import json
import logging
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError
from kizuna.ops.processes import run_bounded
from kizuna.ops.storage import (
    stored_delete_folder,
    stored_exists,
    stored_local_copy,
    stored_move_in,
    work_folder,
    work_folders_clear,
)
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.access import membership_of

from .models import Video

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 60
MIN_DURATION_SECONDS = 0.5
MAX_WIDTH_LANDSCAPE, MAX_HEIGHT_LANDSCAPE = 1280, 720
POSTER_AT_SECONDS = 1.0
CHUNK_SIZE = 1024 * 1024

# Containers that ffprobe reports for still images and text art: never a video, whatever the file is called.
IMAGE_OR_TEXT_FORMATS = frozenset(
    {"image2", "gif", "apng", "webp", "ico", "tty", "bin", "xbin", "idf", "adf", "svg", "psd", "jpegxl_anim"}
)
# Stream codecs that are text art rather than pictures that move.
TEXT_CODECS = frozenset({"ansi", "bintext", "xbin", "idf"})


class MediaError(ApplicationError):
    """A media operation that cannot be done; the message says, in the user's language, what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProbeResult:
    format_name: str
    duration: float
    width: int
    height: int
    video_codec: str
    has_audio: bool


def _not_a_video() -> MediaError:
    return MediaError(_("We could not read this file as a video. Choose a video such as MP4 or MOV."))


def _video_folder(key: uuid.UUID) -> str:
    return f"videos/{key}"


def _work_label(key: uuid.UUID) -> str:
    # A transcode's scratch folders carry the video's key, so a run again can clear a killed run's files.
    return f"transcode-{key}"


def _is_image_or_text_format(format_name: str) -> bool:
    names = {name.strip() for name in format_name.split(",")}
    return any(name in IMAGE_OR_TEXT_FORMATS or name.endswith("_pipe") for name in names)


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def video_probe(*, path: Path) -> ProbeResult:
    """Read a file's streams with ffprobe and refuse anything that is not a real video, by content alone."""
    command = [
        settings.FFPROBE_BINARY,
        "-v", "error",
        "-print_format", "json",
        "-show_format", "-show_streams",
        str(path),
    ]  # fmt: skip
    try:
        done = run_bounded(command, timeout=PROBE_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        logger.warning("ffprobe timed out on %s", path)
        raise _not_a_video() from None
    if done.returncode != 0:
        raise _not_a_video()
    try:
        data = json.loads(done.stdout or b"{}")
    except ValueError:
        raise _not_a_video() from None
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    format_name = str(fmt.get("format_name") or "")
    if not format_name or _is_image_or_text_format(format_name):
        raise _not_a_video()
    moving = [
        s
        for s in streams
        if s.get("codec_type") == "video"
        and s.get("codec_name")
        and s.get("codec_name") not in TEXT_CODECS
        and not (s.get("disposition") or {}).get("attached_pic")
        and int(s.get("width") or 0) > 0
        and int(s.get("height") or 0) > 0
    ]
    if not moving:
        raise _not_a_video()
    stream = moving[0]
    duration = _float(fmt.get("duration")) or _float(stream.get("duration"))
    if duration <= MIN_DURATION_SECONDS:
        raise MediaError(_("This video is too short to play. Choose a video that is at least one second long."))
    limit = settings.VIDEO_MAX_DURATION_SECONDS
    if duration > limit:
        raise MediaError(
            _("This video is too long (limit %(minutes)s minutes). Split it into shorter videos and upload them.")
            % {"minutes": limit // 60}
        )
    _refuse_if_cut_short(path=path, stream_index=int(stream.get("index") or 0), duration=duration)
    return ProbeResult(
        format_name=format_name,
        duration=duration,
        width=int(stream["width"]),
        height=int(stream["height"]),
        video_codec=str(stream["codec_name"]),
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
    )


def _playable_seconds(*, path: Path, stream_index: int) -> float:
    """Return how many seconds of the stream's packets are actually in the file (0 if none can be read)."""
    command = [
        settings.FFPROBE_BINARY,
        "-v", "quiet",
        "-select_streams", str(stream_index),
        "-show_entries", "packet=pts_time,duration_time",
        "-of", "csv=p=0",
        str(path),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        logger.warning("ffprobe timed out reading the packets of %s", path)
        raise _not_a_video() from None
    first, end = None, 0.0
    for line in done.stdout.decode("ascii", "replace").splitlines():
        pts, _sep, length = line.partition(",")
        start = _float(pts) if pts not in ("", "N/A") else None
        if start is None:
            continue
        first = start if first is None else min(first, start)
        end = max(end, start + _float(length))
    return end - first if first is not None else 0.0


def _refuse_if_cut_short(*, path: Path, stream_index: int, duration: float) -> None:
    # A file cut short (an interrupted copy, `head -c`) keeps the container's full duration in its index
    # while its packets stop early; players then stop there too. Refused, not stored with a false length:
    # the person still has the whole file and can upload it again. One second or 2 % of leeway covers the
    # last frame's length and audio running a little longer than the picture.
    playable = _playable_seconds(path=path, stream_index=stream_index)
    if duration - playable > max(1.0, 0.02 * duration):
        raise MediaError(
            _(
                "This video file is incomplete: it stops after %(playable)s of its %(duration)s seconds, "
                "as when an upload or a copy is cut short. Upload the whole file again."
            )
            % {"playable": f"{playable:.0f}", "duration": f"{duration:.0f}"}
        )


def video_create(*, uploaded_by: Any, file: File, title: str = "") -> Video:
    """Check an upload, store it under a random key and queue its transcode; refuse with MediaError."""
    limit_mb = settings.VIDEO_MAX_UPLOAD_MB
    if file.size is None or file.size > limit_mb * 1024 * 1024:
        raise MediaError(
            _("This file is too large (limit %(mb)sMB). Split it into shorter videos and upload them.")
            % {"mb": limit_mb}
        )
    key = uuid.uuid4()
    folder = _video_folder(key)
    try:
        with work_folder(f"upload-{key}") as work:
            staged = work / "original"
            try:
                with staged.open("wb") as out:
                    for chunk in file.chunks(CHUNK_SIZE):
                        out.write(chunk)
            except OSError as error:
                # A full disk (or a broken one): nothing half-written stays, the uploader is told in words.
                logger.error("video upload not staged: key=%s error=%s", key, error)
                raise _no_room() from error
            video_probe(path=staged)
            try:
                original = stored_move_in(staged, f"{folder}/original")
            except OSError as error:
                logger.error("video upload not stored: key=%s error=%s", key, error)
                raise _no_room() from error
            video = Video.objects.create(
                key=key,
                title=title.strip(),
                uploaded_by=uploaded_by,
                original=original,
                status=Video.Status.PROCESSING,
            )
            _audit_upload(video, uploaded_by, size=file.size)
    except BaseException:
        stored_delete_folder(folder)
        raise
    transaction.on_commit(lambda: _enqueue_transcode(video.pk))
    return video


def _audit_upload(video: Video, uploaded_by: Any, *, size: int) -> None:
    """A staff member's upload goes on the trail (their agency's for a manager); a rep's own take does not."""
    m = membership_of(uploaded_by)
    if m is None or m.is_rep:
        return
    audit_record(
        action=Action.VIDEO_CREATE,
        target=video,
        target_label=video.title or str(video.key),
        organization_id=None if m.is_principal_staff else m.organization_id,
        after={"title": video.title, "bytes": size, "uploaded_by": uploaded_by.pk},
        actor=uploaded_by,
    )


def _no_room() -> MediaError:
    return MediaError(
        _("The server has no room to store this video right now. Try again later, or tell your administrator.")
    )


def _enqueue_transcode(video_id: int) -> None:
    from .tasks import video_transcode_task

    video_transcode_task.enqueue(video_id)


def _run(command: list[str], *, timeout: float) -> None:
    # Its own process group and a death signal: ffmpeg never outlives the worker; killed on timeout.
    run_bounded(command, timeout=timeout)


VOICE_PICTURE = "color=c=0x1f3a5f:s=640x360:r=5"  # the still picture a voice-only recording is shown with


def voice_as_video(*, source: Path, target: Path) -> bool:
    """Make a voice-only recording (sound, no picture) an MP4 with a still picture, so the video pipeline takes it.

    Return False, writing nothing, for a file that has a picture (or no sound): it goes through as it is.
    """
    command = [settings.FFPROBE_BINARY, "-v", "error", "-print_format", "json", "-show_format", "-show_streams"]
    try:
        done = run_bounded([*command, str(source)], timeout=PROBE_TIMEOUT_SECONDS, check=False)
        data = json.loads(done.stdout or b"{}") if done.returncode == 0 else {}
    except (subprocess.TimeoutExpired, ValueError):
        return False
    streams = data.get("streams") or []
    kinds = {s.get("codec_type") for s in streams}
    if "video" in kinds or "audio" not in kinds:
        return False
    # The picture lasts as long as the sound (-shortest alone lets the encoder's buffer run seconds longer).
    seconds = _float((data.get("format") or {}).get("duration")) or max(_float(s.get("duration")) for s in streams)
    length = ["-t", f"{seconds:.3f}"] if seconds > 0 else ["-shortest"]
    _run(
        [
            settings.FFMPEG_BINARY, "-nostdin", "-hide_banner", "-v", "error", "-y",
            "-f", "lavfi", "-i", VOICE_PICTURE, "-i", str(source),
            "-map", "0:v:0", "-map", "1:a:0", *length,
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "96k", "-map_metadata", "-1",
            "-f", "mp4", str(target),
        ],
        timeout=600 + settings.VIDEO_MAX_DURATION_SECONDS,
    )  # fmt: skip
    return True


def _scale_filter() -> str:
    # Fit inside 1280x720 (landscape) or 720x1280 (portrait), never upscale, even sides for yuv420p.
    w, h = MAX_WIDTH_LANDSCAPE, MAX_HEIGHT_LANDSCAPE
    return (
        f"scale=w='min(iw,if(gte(iw,ih),{w},{h}))':h='min(ih,if(gte(iw,ih),{h},{w}))'"
        ":force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p"
    )


def _transcode_command(source: Path, target: Path, *, has_audio: bool) -> list[str]:
    command = [settings.FFMPEG_BINARY, "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", str(source)]
    if has_audio:
        command += ["-map", "0:v:0", "-map", "0:a:0"]
    else:
        # A silent track, so every player treats every lesson video the same way.
        command += ["-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000"]
        command += ["-map", "0:v:0", "-map", "1:a:0", "-shortest"]
    command += [
        "-vf", _scale_filter(),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000",
        "-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn",  # no location or device data from phones
        "-movflags", "+faststart",
        "-f", "mp4", str(target),
    ]  # fmt: skip
    return command


def _poster_command(source: Path, target: Path, *, at: float) -> list[str]:
    return [
        settings.FFMPEG_BINARY, "-nostdin", "-hide_banner", "-v", "error", "-y",
        "-ss", f"{at:.2f}", "-i", str(source),
        "-frames:v", "1", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", str(target),
    ]  # fmt: skip


def _stderr_tail(error: subprocess.CalledProcessError) -> str:
    lines = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else ""


def video_transcode(*, video: Video) -> Video:
    """Make the MP4 and poster of an upload and mark the video ready, or failed with the reason.

    Safe to run again from the start (a worker killed mid-way): the earlier attempt's scratch folder is
    removed first, and only finished files are stored, over whatever an earlier attempt stored.
    """
    folder = _video_folder(video.key)
    mp4, poster = f"{folder}/video.mp4", f"{folder}/poster.jpg"
    if video.status == Video.Status.READY and stored_exists(mp4) and stored_exists(poster):
        return video
    label = _work_label(video.key)
    work_folders_clear(label)
    token = uuid.uuid4().hex
    try:
        with work_folder(label) as work, stored_local_copy(video.original.name, label=label) as source:
            mp4_part, poster_part = work / f"video.{token}.part", work / f"poster.{token}.part"
            probe = video_probe(path=source)
            timeout = 600 + 10 * probe.duration
            _run(_transcode_command(source, mp4_part, has_audio=probe.has_audio), timeout=timeout)
            result = video_probe(path=mp4_part)
            at = min(POSTER_AT_SECONDS, result.duration * 0.1)
            _run(_poster_command(mp4_part, poster_part, at=at), timeout=120)
            # Stored under fixed names: a run again after a crash replaces what an earlier run stored.
            mp4 = stored_move_in(mp4_part, mp4, replace=True)
            poster = stored_move_in(poster_part, poster, replace=True)
    except (MediaError, subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        return _transcode_failed(video, error)
    video.status = Video.Status.READY
    video.failure = video.error = ""
    video.duration_seconds = round(result.duration, 3)
    video.width, video.height = result.width, result.height
    video.mp4.name, video.poster.name = mp4, poster
    video.ready_at = timezone.now()
    fields = ["status", "failure", "error", "duration_seconds", "width", "height", "mp4", "poster", "ready_at"]
    if not Video.objects.filter(pk=video.pk).update(**{f: getattr(video, f) for f in fields}):
        # Deleted while it was being transcoded: leave nothing behind.
        stored_delete_folder(folder)
    return video


def _transcode_failed(video: Video, error: Exception) -> Video:
    if isinstance(error, subprocess.CalledProcessError):
        failure, reason = Video.Failure.CONVERSION, f"ffmpeg failed (exit {error.returncode}): {_stderr_tail(error)}"
    elif isinstance(error, subprocess.TimeoutExpired):
        failure, reason = Video.Failure.TIMEOUT, f"ffmpeg took longer than {int(error.timeout)} seconds"
    elif isinstance(error, MediaError):
        failure, reason = Video.Failure.UNREADABLE, error.message
    else:
        failure, reason = Video.Failure.STORAGE, f"file error: {error}"
    reason = reason.strip()
    logger.error(
        "video transcode failed: video_id=%s key=%s reason=%s",
        video.pk,
        video.key,
        reason,
        exc_info=not isinstance(error, MediaError),
    )
    video.status, video.failure, video.error = Video.Status.FAILED, failure, reason[:2000]
    Video.objects.filter(pk=video.pk).update(status=video.status, failure=video.failure, error=video.error)
    return video


def video_transcode_abandon(*, video_id: int, failure: str, reason: str) -> None:
    """Mark a still-processing video failed because its transcode task gave up (e.g. its worker kept dying)."""
    video = Video.objects.filter(pk=video_id, status=Video.Status.PROCESSING).first()
    if video is None:
        return
    work_folders_clear(_work_label(video.key))
    logger.error("video transcode given up: video_id=%s key=%s reason=%s", video.pk, video.key, reason)
    Video.objects.filter(pk=video.pk, status=Video.Status.PROCESSING).update(
        status=Video.Status.FAILED, failure=failure, error=reason[:2000]
    )


def video_delete(*, video: Video) -> None:
    """Delete a video and its files; refuse while anything shows it (a lesson, draft or published; a live recording)."""
    from .selectors import video_shown_in

    titles = video_shown_in(video_id=video.pk)
    if titles:
        raise MediaError(_("This video is used in “%(title)s”. Remove it from there first.") % {"title": titles[0]})
    folder = _video_folder(video.key)
    before = {"title": video.title, "key": video.key, "uploaded_by": video.uploaded_by_id}
    target_label = video.title or str(video.key)
    try:
        with transaction.atomic():
            audit_record(action=Action.VIDEO_DELETE, target=video, target_label=target_label, before=before)
            video.delete()
    except ProtectedError:
        # A lesson took it between the check and the delete.
        raise MediaError(_("This video is used in a lesson. Remove it from the lesson first.")) from None
    transaction.on_commit(lambda: stored_delete_folder(folder))
