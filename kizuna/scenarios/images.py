"""Images of scenario moments: checked by their content with Pillow, re-encoded without EXIF/GPS, stored by hash.

A stored image is named by the sha256 of its cleaned bytes and never
overwritten or deleted, so a published version keeps showing the image it was
published with even after the draft's image is replaced.
"""

import hashlib
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageError
from .exchange import IMAGE_DIR

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
# Big enough for a phone held sideways at 3x; larger uploads are scaled down.
MAX_IMAGE_SIDE = 2400
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _read(file: Any) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(
            _("The image is too large (at most %(mb)s MB). Please upload a smaller picture.")
            % {"mb": MAX_IMAGE_BYTES // (1024 * 1024)}
        )
    return data


def clean_image(data: bytes) -> tuple[bytes, str]:
    """Return the image re-encoded without metadata (EXIF, GPS, comments) and its extension; refuse non-images."""
    not_an_image = ImageError(_("This file is not a picture we can show. Upload a JPEG, PNG or WebP image."))
    try:
        with Image.open(BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    if fmt not in FORMATS:
        raise not_an_image
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageError(_("The picture has too many pixels. Please upload a smaller picture."))
    try:
        with Image.open(BytesIO(data)) as img:
            img.load()
            oriented = ImageOps.exif_transpose(img) or img
            mode = (
                "RGB"
                if fmt == "JPEG"
                else ("RGBA" if "A" in oriented.getbands() or "transparency" in oriented.info else "RGB")
            )
            converted = oriented.convert(mode)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    converted.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    # A new image from the pixels alone: nothing of the original's metadata can ride along.
    bare = Image.frombytes(converted.mode, converted.size, converted.tobytes())
    out = BytesIO()
    if fmt == "JPEG":
        bare.save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        bare.save(out, "PNG", optimize=True)
    else:
        bare.save(out, "WEBP", quality=88)
    return out.getvalue(), FORMATS[fmt]


def image_store(file: Any) -> str:
    """Check, clean and store an uploaded image; return its stored name (``<sha256>.<ext>``, without the folder)."""
    cleaned, ext = clean_image(_read(file))
    name = f"{hashlib.sha256(cleaned).hexdigest()}.{ext}"
    if not default_storage.exists(IMAGE_DIR + name):
        default_storage.save(IMAGE_DIR + name, ContentFile(cleaned))
    return name


def image_content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
