"""A post's one photo: cleaned by content (the flash updates' rules: Pillow decodes it, re-encodes it as a
JPEG without EXIF, so no GPS position leaves the phone), stored under a random folder, never served directly."""

from typing import Any

from kizuna.media.photos import MAX_UPLOAD_MB, CleanPhoto, PhotoError, photo_clean, photo_remove, photo_write

__all__ = ["MAX_UPLOAD_MB", "CleanPhoto", "PhotoError", "image_remove", "image_store"]


def image_store(file: Any) -> tuple[str, int, int]:
    """Clean an upload and store it; return (storage name, width, height). Refuse with PhotoError."""
    clean = photo_clean(file)
    return photo_write(clean, area="community"), clean.width, clean.height


def image_remove(name: str) -> None:
    """Delete a stored photo and its folder (missing files are fine)."""
    photo_remove(name)
