"""Helpers of the community tests: posting through the real services, and a phone photo with GPS."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from kizuna.catalog.models import Product, Tag
from kizuna.community import services
from kizuna.records.models import Statement

# Tokyo Tower, as a phone would write it into the photo.
GPS = {1: "N", 2: (35.0, 39.0, 31.0), 3: "E", 4: (139.0, 44.0, 43.0)}


def phone_jpeg(*, width: int = 800, height: int = 600) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KizunaPhone"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def photo(name: str = "IMG_0001.JPG", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, phone_jpeg(**kwargs), content_type="image/jpeg")


def ask(
    author: Any, title: str = "値引きを求められたときの返し方を教えてください", body: str = "", **kwargs: Any
) -> Any:
    return services.question_ask(author=author, title=title, body=body, **kwargs)


def answer(question: Any, author: Any, body: str = "価値を先に伝えてから、条件の交換で応じます。") -> Any:
    return services.answer_post(question=question, author=author, body=body)


def statements(verb_iri: str, **filters: Any) -> list[Statement]:
    return list(Statement.objects.filter(verb=verb_iri, **filters).order_by("seq"))


@pytest.fixture
def product(db: Any) -> Product:
    return Product.objects.create(name="クラウド会計", slug="cloud-accounting")


@pytest.fixture
def topic(db: Any) -> Tag:
    return Tag.objects.create(kind=Tag.Kind.TOPIC, slug="objection", name_ja="反論への対応", name_en="Objections")
