"""Cleaning a phone photo (flash updates, community posts): read it by content, turn it upright, shrink it, drop its metadata.

Whatever the upload claims to be, Pillow must decode it as a JPEG, PNG, WebP or
GIF picture. The result is always a fresh baseline JPEG at most MAX_SIDE pixels
on its longer side, written without EXIF (so no GPS position, camera serial or
time stamp leaves the phone), and stored under a random folder name.
"""

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kizuna.ops.errors import ApplicationError
from kizuna.ops.storage import stored_delete, stored_delete_folder, stored_save

MAX_UPLOAD_MB = 20
MAX_SIDE = 1600
MAX_PIXELS = 60_000_000  # a 60-megapixel picture is already larger than any phone camera's
JPEG_QUALITY = 85
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}  # MPO: the JPEG variant some phones write


class PhotoError(ApplicationError):
    """A photo that cannot be used; the message says, in the user's language, what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int


def _not_a_photo() -> PhotoError:
    return PhotoError(_("We could not read this file as a photo. Choose a JPEG or PNG picture."))


def photo_clean(file: Any) -> CleanPhoto:
    """Return the upload as a clean, upright, metadata-free JPEG no larger than MAX_SIDE; refuse with PhotoError."""
    if file.size is None or file.size > MAX_UPLOAD_MB * 1024 * 1024:
        raise PhotoError(
            _("This photo is too large (limit %(mb)sMB). Choose a smaller picture.") % {"mb": MAX_UPLOAD_MB}
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise _not_a_photo()
                if probe.width * probe.height > MAX_PIXELS:
                    raise PhotoError(_("This photo has too many pixels. Choose a smaller picture."))
                probe.verify()  # a truncated or corrupt file fails here
            file.seek(0)
            with Image.open(file) as image:
                image.seek(0)  # the first frame of an animated GIF or WebP
                image.load()
                upright = ImageOps.exif_transpose(image)
                picture = _flattened(upright)
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _not_a_photo() from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise _not_a_photo() from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= argument: Pillow writes none, so the orientation is baked in and GPS is gone.
    picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(data=out.getvalue(), width=picture.width, height=picture.height)


def _flattened(image: Image.Image) -> Image.Image:
    """Return an RGB copy; transparent parts (screenshots, stickers) become white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def photo_write(photo: CleanPhoto, *, area: str = "updates", filename: str = "photo.jpg") -> str:
    """Store a cleaned photo under a random folder of ``area``; return its storage name."""
    return stored_save(f"{area}/{uuid.uuid4().hex}/{filename}", photo.data)


def photo_remove(name: str) -> None:
    """Delete a stored photo and its folder (missing files are fine)."""
    if name:
        stored_delete(name)
        if "/" in name:  # its own random folder, now empty
            stored_delete_folder(name.rsplit("/", 1)[0])
