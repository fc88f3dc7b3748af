"""Test helpers: a real PNG screenshot and a question asked through the real service."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png(name: str = "screen.png", size: tuple[int, int] = (120, 80)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 80, 140)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def ask(asker: Any, *, subject: str = "動画が再生されません", screenshot: Any = None, **kwargs: Any) -> Any:
    from kizuna.support.services import ticket_create

    values = {"category": "problem", "body": "レッスンを開くと黒い画面のままです。", "page_url": "/learn/", **kwargs}
    return ticket_create(asker=asker, subject=subject, screenshot=screenshot, **values)
