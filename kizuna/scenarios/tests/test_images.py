"""Moment images: checked by content with Pillow, cleaned of EXIF/GPS, stored by hash and kept for versions."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from kizuna.scenarios import services
from kizuna.scenarios.errors import ScenarioError
from kizuna.scenarios.exchange import IMAGE_DIR


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 40.0, 0.0)}  # GPSInfo
    out = BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def node(cast):
    scenario = services.scenario_create(author=cast.author, title="画像", slug="images")
    return services.node_create(scenario=scenario)


def test_an_uploaded_photo_is_stored_without_exif_or_gps(node):
    raw = jpeg_with_gps()
    assert b"SecretCam" in raw
    services.node_image_set(node=node, file=ContentFile(raw, name="photo.jpg"))
    assert node.image.endswith(".jpg") and len(node.image) == 64 + 4
    stored = default_storage.open(IMAGE_DIR + node.image).read()
    assert b"SecretCam" not in stored
    with Image.open(BytesIO(stored)) as img:
        assert img.size == (40, 20)
        assert not img.getexif()


def test_a_file_that_is_not_a_picture_is_refused(node):
    for data in [b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"GIF89a....", b"\xff\xd8\xff\xe0 broken"]:
        with pytest.raises(ScenarioError):
            services.node_image_set(node=node, file=ContentFile(data, name="x.jpg"))
    node.refresh_from_db()
    assert node.image == ""


def test_replacing_an_image_keeps_the_old_file_for_published_versions(node):
    services.node_image_set(node=node, file=ContentFile(jpeg_with_gps(), name="a.jpg"))
    first = node.image
    other = BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(other, "PNG")
    services.node_image_set(node=node, file=ContentFile(other.getvalue(), name="b.png"))
    assert node.image != first and node.image.endswith(".png")
    assert default_storage.exists(IMAGE_DIR + first)
