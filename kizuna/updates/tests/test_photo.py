"""Photos are read by their content, turned upright, shrunk, stripped of EXIF and GPS, and served only to the audience."""

import io
from pathlib import PurePosixPath

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from kizuna.media.photos import MAX_SIDE
from kizuna.updates.models import FlashUpdate

from .conftest import GPS, phone_jpeg, post_update


def _stored(update: FlashUpdate) -> bytes:
    """The stored photo, read through the storage (local files, or the bucket with KIZUNA_TEST_STORAGE=s3)."""
    with default_storage.open(update.photo) as stored:
        return stored.read()


def _files_under(folder: str) -> list[str]:
    """Every stored file under a folder, whichever the storage."""
    try:
        dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:  # local files: no such folder (a bucket lists nothing instead)
        return []
    return [f"{folder}/{name}" for name in files] + [found for d in dirs for found in _files_under(f"{folder}/{d}")]


def test_a_phone_photo_is_stored_upright_smaller_and_without_gps(cast, photo_upload):
    original = Image.open(io.BytesIO(phone_jpeg()))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo) == GPS  # the upload really carries a position
    update = post_update(cast, photo=photo_upload())
    data = _stored(update)
    assert PurePosixPath(update.photo).name == "photo.jpg" and "IMG_0420" not in update.photo
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG"
        # Orientation 6 means "rotate 90°": the 2400×1800 landscape sensor image is a portrait photo.
        assert (stored.width, stored.height) == (1200, MAX_SIDE)
        assert (update.photo_width, update.photo_height) == (1200, MAX_SIDE)
        exif = stored.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Make not in exif and ExifTags.Base.Orientation not in exif
        assert "exif" not in stored.info
        # The blue block that was top-left of the sensor image is now top-right.
        r, g, b = stored.convert("RGB").getpixel((stored.width - 20, 20))
        assert b > 150 and r < 80
    assert b"KizunaPhone" not in data


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_saved(cast, client):
    client.force_login(cast.coach)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture" * 100, content_type="image/jpeg")
    response = client.post("/updates/new/", {"title": "写真つき", "body": "本文", "audience": "all", "photo": fake})
    assert response.status_code == 200
    assert "写真として読み取れませんでした" in response.content.decode()
    assert not FlashUpdate.objects.exists()
    assert not _files_under("updates")


def test_a_truncated_jpeg_is_refused(cast):
    from kizuna.updates.services import UpdateError

    broken = SimpleUploadedFile("cut.jpg", phone_jpeg()[:3000], content_type="image/jpeg")
    with pytest.raises(UpdateError) as error:
        post_update(cast, photo=broken)
    assert error.value.field == "photo"


def test_a_png_screenshot_with_transparency_becomes_a_jpeg(cast):
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    update = post_update(cast, photo=SimpleUploadedFile("shot.png", out.getvalue(), content_type="image/png"))
    with Image.open(io.BytesIO(_stored(update))) as stored:
        assert stored.format == "JPEG" and stored.size == (400, 300)
        assert stored.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.local_files  # served by the app; from a bucket, by a signed URL (kizuna/tests/test_object_storage.py)
def test_posting_with_a_photo_over_http_strips_gps_and_serves_it_to_the_audience_only(cast, client, photo_upload):
    client.force_login(cast.coach)
    response = client.post(
        "/updates/new/",
        {
            "title": "新しいチラシ",
            "body": "店頭用のチラシができました。",
            "audience": "selected",
            "partners": [cast.partner_a.pk],
            "photo": photo_upload(),
            "action": "publish",
        },
    )
    update = FlashUpdate.objects.get()
    assert response.status_code == 302 and response.url == f"/updates/{update.pk}/"
    assert update.is_published and update.photo
    with Image.open(io.BytesIO(_stored(update))) as stored:
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    url = f"/updates/{update.pk}/photo"
    for person in (cast.rep_a1, cast.manager_a, cast.coach, cast.author):
        c = Client()
        c.force_login(person)
        got = c.get(url)
        assert got.status_code == 200 and got["Content-Type"] == "image/jpeg" and got["Cache-Control"] == "private"
        body = b"".join(got.streaming_content)
        assert body == _stored(update)
    for outsider in (cast.rep_b1, cast.manager_b):
        c = Client()
        c.force_login(outsider)
        assert c.get(url).status_code == 404
    assert Client().get(url).status_code == 404


def test_replacing_the_photo_removes_the_old_file(cast, photo_upload, django_capture_on_commit_callbacks):
    from kizuna.updates import services

    update = post_update(cast, publish=False, photo=photo_upload())
    old = update.photo
    with django_capture_on_commit_callbacks(execute=True):
        services.update_edit(
            update=update, editor=cast.coach, title="差し替え", body="本文", photo=photo_upload("b.jpg")
        )
    assert not default_storage.exists(old) and default_storage.exists(update.photo)
