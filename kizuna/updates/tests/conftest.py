"""Helpers of the flash update tests: posting updates through the real services, and a phone photo with GPS."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from kizuna.updates import services
from kizuna.updates.models import FlashUpdate

# Tokyo Tower, as a phone would write it into the photo.
GPS = {1: "N", 2: (35.0, 39.0, 31.0), 3: "E", 4: (139.0, 44.0, 43.0)}


def phone_jpeg(*, width: int = 2400, height: int = 1800, orientation: int = 6) -> bytes:
    """A real JPEG as a phone writes it: camera make, an orientation tag, and the GPS position in EXIF."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((20, 60, 200), (0, 0, width // 2, height // 4))  # a blue block top-left, to check the rotation
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KizunaPhone"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


@pytest.fixture
def photo_upload() -> Callable[..., SimpleUploadedFile]:
    def make(name: str = "IMG_0420.JPG", **kwargs: Any) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, phone_jpeg(**kwargs), content_type="image/jpeg")

    return make


def post_update(cast: Any, *, publish: bool = True, author: Any = None, **kwargs: Any) -> FlashUpdate:
    """Write (and publish, without e-mails) an update through the services; all partners unless told."""
    values: dict[str, Any] = {"title": "本日から新料金プラン", "body": "**月額300円**から。"}
    values.update(kwargs)
    update = services.update_create(author=author or cast.coach, **values)
    if publish:
        services.update_publish(update=update, publisher=author or cast.coach, notify=False)
    return update


def joined_days_ago(days: int, *people: Any) -> None:
    """Say these people joined that many days ago (the cast is created by each test, so it joins "now")."""
    from datetime import timedelta

    from django.utils import timezone

    for person in people:
        type(person).objects.filter(pk=person.pk).update(date_joined=timezone.now() - timedelta(days=days))
        person.refresh_from_db(fields=["date_joined"])


def question(correct: int = 2) -> services.QuestionData:
    return services.QuestionData(
        text="新料金プランの最低月額は?",
        options=["100円", "300円", "500円"],
        correct=correct,
        explanation="1人あたり月額300円からです。",
    )


@pytest.fixture(scope="session")
def phone_video(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A 2-second portrait H.264/AAC clip, like a phone records."""
    import subprocess

    path = tmp_path_factory.mktemp("update-clips") / "IMG_0421.MOV"
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=240x320:rate=15",
            "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            "-f", "mov", str(path),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path.read_bytes()
