"""A post's one photo: cleaned by content (the flash updates' rules: Pillow decodes it, re-encodes it as a
JPEG without EXIF, so no GPS position leaves the phone), stored under a random folder, never served directly."""

import contextlib
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings

from kizuna.media.photos import MAX_UPLOAD_MB, CleanPhoto, PhotoError, photo_clean

__all__ = ["MAX_UPLOAD_MB", "CleanPhoto", "PhotoError", "image_remove", "image_store"]


def image_store(file: Any) -> tuple[str, int, int]:
    """Clean an upload and store it; return (MEDIA_ROOT-relative name, width, height). Refuse with PhotoError."""
    clean = photo_clean(file)
    folder = Path(settings.MEDIA_ROOT) / "community" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=False)
    path = folder / "photo.jpg"
    path.write_bytes(clean.data)
    return path.relative_to(Path(settings.MEDIA_ROOT)).as_posix(), clean.width, clean.height


def image_remove(name: str) -> None:
    """Delete a stored photo and its folder (missing files are fine)."""
    if not name:
        return
    path = Path(settings.MEDIA_ROOT) / name
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()
