"""The app's icons, made from one source image (icon-source.png) with Pillow, once, into VAR_DIR/pwa-icons/.

`manage.py pwa_icons` makes them at setup (`make run`); the icon view makes a missing one on first request.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from PIL import Image

SOURCE = Path(__file__).resolve().parent / "icon-source.png"
THEME_COLOR = "#1d4e89"
BACKGROUND_COLOR = "#ffffff"


@dataclass(frozen=True)
class Icon:
    name: str
    size: int
    # "maskable": the launcher crops it to a circle or squircle, so the picture keeps to the inner 80 %.
    purpose: str = "any"


ICONS = (
    Icon("icon-192.png", 192),
    Icon("icon-512.png", 512),
    Icon("maskable-512.png", 512, "maskable"),
    Icon("apple-touch-icon.png", 180),
    Icon("shortcut-96.png", 96),
)
ICONS_BY_NAME = {icon.name: icon for icon in ICONS}


def icons_dir() -> Path:
    return Path(settings.VAR_DIR) / "pwa-icons"


@cache
def source_version() -> str:
    """Return a short hash of the source image: the icons' URLs carry it, so a new source is fetched anew."""
    return hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:12]


def _render(icon: Icon) -> Image.Image:
    with Image.open(SOURCE) as source:
        picture = source.convert("RGB")
    if icon.purpose == "maskable":
        inner = round(icon.size * 0.8)
        canvas = Image.new("RGB", (icon.size, icon.size), THEME_COLOR)
        canvas.paste(picture.resize((inner, inner), Image.Resampling.LANCZOS), ((icon.size - inner) // 2,) * 2)
        return canvas
    return picture.resize((icon.size, icon.size), Image.Resampling.LANCZOS)


def icon_build(icon: Icon) -> Path:
    """Make one icon unless it is there already for this source; return its path (written atomically)."""
    folder = icons_dir() / source_version()
    path = folder / icon.name
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            _render(icon).save(out, format="PNG", optimize=True)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def icons_build() -> list[Path]:
    """Make every icon (what `manage.py pwa_icons` runs)."""
    return [icon_build(icon) for icon in ICONS]
