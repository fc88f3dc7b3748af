"""Resumable uploads of roleplay takes.

Each chunk of a resumable upload is stored as its own file, named by its byte offset, under
``private/coaching/uploads/<key>/`` (storage API: local disk or a bucket, where files cannot be
appended to). When the upload is finished (``takes.upload_finish``) the chunks are joined in a local
scratch file, which the media pipeline checks by content (ffprobe), stores as a media.Video under a
random key and transcodes. That video is private to this app: it is served only through
``roleplay_video`` with a signed, expiring URL (see selectors.video_url).
"""

import contextlib
import logging
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.storage import stored_delete_folder, stored_open, stored_save, stored_size, work_folder

from ..errors import CoachingError
from ..models import Roleplay, Upload

logger = logging.getLogger(__name__)

UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024
MAX_CHUNK_BYTES = 8 * 1024 * 1024
_OFFSET_DIGITS = 12  # chunk names sort in byte order up to a terabyte


def upload_folder(upload: Upload) -> str:
    """Return the storage folder holding an upload's chunks."""
    return f"private/coaching/uploads/{upload.key}"


def _chunk_name(upload: Upload, offset: int) -> str:
    return f"{upload_folder(upload)}/{offset:0{_OFFSET_DIGITS}d}"


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
    return Upload.objects.create(owner=rep, roleplay=roleplay, size=size, statement_id=statement_id)


def upload_chunk_write(*, upload: Upload, offset: int, stream: BinaryIO, length: int) -> int:
    """Store one chunk at `offset` and return the new offset; a chunk at the wrong offset changes nothing.

    The offset moves forward only after the whole chunk is stored, with a compare-and-set, so a chunk
    that was cut off midway (a dropped connection) is simply sent again from the stored offset.
    """
    if offset != upload.received:
        return upload.received
    if length <= 0 or length > MAX_CHUNK_BYTES:
        raise CoachingError(_("A part of the upload had an unexpected size. Try again."))
    if offset + length > upload.size:
        raise upload_too_large()
    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as buffer:
        written = 0
        while written < length:
            block = stream.read(min(256 * 1024, length - written))
            if not block:
                break
            buffer.write(block)
            written += len(block)
        if written != length:
            # The connection dropped midway: nothing is stored, the client resends from the old offset.
            return upload.received
        buffer.seek(0)
        # A chunk sent again at the same offset (its answer was lost) replaces the first one.
        stored_save(_chunk_name(upload, offset), buffer, replace=True)
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


@contextlib.contextmanager
def upload_file_ready(*, upload: Upload) -> Iterator[Path]:
    """Yield a local scratch copy of a complete upload (chunks joined, a browser recording with its length
    written in), removed afterwards."""
    if upload.received != upload.size:
        raise CoachingError(_("The upload is not complete yet. Keep this page open until it finishes."))
    with upload_joined(upload) as joined:
        yield with_known_length(joined)


def upload_discard(*, upload: Upload) -> None:
    folder = upload_folder(upload)
    upload.delete()
    stored_delete_folder(folder)


@contextlib.contextmanager
def upload_joined(upload: Upload) -> Iterator[Path]:
    """Yield a local scratch file with a complete upload's bytes, its chunks joined in order."""
    with work_folder(f"take-{upload.key}") as work:
        path = work / "take"
        offset = 0
        with path.open("wb") as out:
            while offset < upload.size:
                # The chain of chunks from 0: each one's size gives the next one's offset. Chunks left at
                # other offsets by a stale retry are not on it.
                name = _chunk_name(upload, offset)
                size = stored_size(name)
                if not size:
                    logger.error("upload %s has no chunk at offset %s of %s", upload.key, offset, upload.size)
                    raise CoachingError(_("Part of this upload is missing. Upload the video again."))
                with stored_open(name) as chunk:
                    for block in iter(lambda: chunk.read(1024 * 1024), b""):
                        out.write(block)
                offset += size
        if offset != upload.size:
            raise CoachingError(_("Part of this upload is missing. Upload the video again."))
        yield path


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
