"""Resumable uploads of roleplay takes.

A resumable upload is appended to ``MEDIA_ROOT/private/coaching/uploads/<key>/data``; when it is
finished (``takes.upload_finish``) the media pipeline checks it by content (ffprobe), stores it as a
media.Video under a random key and transcodes it. That video is private to this app: it is served
only through ``roleplay_video`` with a signed, expiring URL (see selectors.video_url).
"""

import logging
import shutil
import subprocess
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import CoachingError
from ..models import Roleplay, Upload

logger = logging.getLogger(__name__)

UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024
MAX_CHUNK_BYTES = 8 * 1024 * 1024


def _uploads_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "coaching" / "uploads"


def upload_path(upload: Upload) -> Path:
    return _uploads_root() / str(upload.key) / "data"


def upload_max_bytes() -> int:
    return settings.VIDEO_MAX_UPLOAD_MB * 1024 * 1024


def upload_too_large() -> CoachingError:
    return CoachingError(
        _("This file is too large (limit %(mb)sMB). Record a shorter take and try again.")
        % {"mb": settings.VIDEO_MAX_UPLOAD_MB}
    )


def upload_start(*, rep: Any, roleplay: Roleplay | None, size: int, statement_id: uuid.UUID) -> Upload:
    """Open a resumable upload of `size` bytes; the same statement id resumes the upload already open.

    Without a roleplay the upload is another app's (a success story's interview): it sends the chunks to the
    same endpoint and takes the finished file with `upload_file_ready`.
    """
    if size <= 0:
        raise CoachingError(_("The file is empty. Record or choose a video."))
    if size > upload_max_bytes():
        raise upload_too_large()
    existing = Upload.objects.filter(owner=rep, statement_id=statement_id).first()
    if existing is not None:
        if existing.size != size:
            raise CoachingError(_("This upload was started with another file. Start again."))
        return existing
    upload = Upload.objects.create(owner=rep, roleplay=roleplay, size=size, statement_id=statement_id)
    path = upload_path(upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return upload


def upload_chunk_write(*, upload: Upload, offset: int, stream: BinaryIO, length: int) -> int:
    """Write one chunk at `offset` and return the new offset; a chunk at the wrong offset changes nothing.

    The offset moves forward only after the bytes are on disk, with a compare-and-set, so a chunk
    that was cut off midway (a dropped connection) is simply sent again from the stored offset.
    """
    if offset != upload.received:
        return upload.received
    if length <= 0 or length > MAX_CHUNK_BYTES:
        raise CoachingError(_("A part of the upload had an unexpected size. Try again."))
    if offset + length > upload.size:
        raise upload_too_large()
    path = upload_path(upload)
    written = 0
    with path.open("r+b") as out:
        out.seek(offset)
        while written < length:
            block = stream.read(min(256 * 1024, length - written))
            if not block:
                break
            out.write(block)
            written += len(block)
        out.flush()
    if written != length:
        # The connection dropped midway: keep the old offset, the client resends from there.
        return upload.received
    if Upload.objects.filter(pk=upload.pk, received=offset).update(received=offset + length, updated_at=timezone.now()):
        upload.received = offset + length
    else:
        upload.refresh_from_db(fields=["received"])
    return upload.received


# An upload nobody finished within this many days is given up and its parts deleted by the daily job.
UPLOAD_EXPIRE_DAYS = 2


def uploads_expire(*, now: datetime | None = None) -> int:
    """Delete the parts of uploads left unfinished for days; return how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=UPLOAD_EXPIRE_DAYS)
    stale = list(Upload.objects.filter(updated_at__lt=cutoff))
    for upload in stale:
        upload_discard(upload=upload)
    return len(stale)


def upload_file_ready(*, upload: Upload) -> Path:
    """Return the finished file of a complete upload (a browser recording with its length written in)."""
    if upload.received != upload.size:
        raise CoachingError(_("The upload is not complete yet. Keep this page open until it finishes."))
    return with_known_length(upload_path(upload))


def upload_discard(*, upload: Upload) -> None:
    folder = upload_path(upload).parent
    upload.delete()
    shutil.rmtree(folder, ignore_errors=True)


_EBML_MAGIC = b"\x1a\x45\xdf\xa3"


def with_known_length(path: Path) -> Path:
    """Return a copy of a browser recording (WebM) with its length written in, or the file as it is.

    MediaRecorder streams WebM without a duration or seek index; copying the streams into a fresh
    Matroska file (no re-encoding) writes both, so the media pipeline can probe and seek it.
    """
    with path.open("rb") as handle:
        if handle.read(4) != _EBML_MAGIC:
            return path
    fixed = path.with_name("fixed.mkv")
    command = [settings.FFMPEG_BINARY, "-nostdin", "-v", "error", "-y", "-i", str(path), "-c", "copy", "-f", "matroska"]
    try:
        subprocess.run([*command, str(fixed)], capture_output=True, timeout=600, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        logger.info("could not remux a recording at %s; the media pipeline checks it as it is", path)
        fixed.unlink(missing_ok=True)
        return path
    return fixed
