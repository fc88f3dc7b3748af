"""The installable app: manifest, icons, service worker and offline page, as the browser fetches them."""

import io
import json
from typing import Any

import pytest
from django.test import Client
from PIL import Image, ImageChops

from kizuna.pwa.icons import ICONS, source_version
from kizuna.pwa.views import precache_urls

pytestmark = pytest.mark.django_db


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_manifest_names_the_app_with_icons_theme_and_shortcuts(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Kizuna 絆" and data["short_name"] == "Kizuna"
    assert data["display"] == "standalone" and data["start_url"] == "/" and data["scope"] == "/"
    assert data["theme_color"] == "#1d4e89" and data["background_color"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    assert [s["url"] for s in data["shortcuts"]] == ["/", "/review/"]
    assert "max-age=86400" in response["Cache-Control"]


def test_the_manifest_speaks_the_browsers_language(client: Client) -> None:
    japanese = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="ja").content)
    english = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en").content)
    assert [s["name"] for s in japanese["shortcuts"]] == ["次にやること", "今日の復習"]
    assert [s["name"] for s in english["shortcuts"]] == ["Next up", "Today's review"]
    assert (japanese["lang"], english["lang"]) == ("ja", "en")


@pytest.mark.parametrize("icon", ICONS, ids=lambda icon: icon.name)
def test_each_icon_is_a_png_of_its_size_made_from_the_source(client: Client, icon: Any) -> None:
    response = client.get(f"/pwa/icons/{icon.name}?v={source_version()}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    picture = Image.open(io.BytesIO(_body(response)))
    assert picture.size == (icon.size, icon.size)


def _drawing_box(picture: Image.Image) -> tuple[int, int, int, int]:
    """Return the box around what is drawn on the theme-coloured ground."""
    ground = Image.new("RGB", picture.size, (0x1D, 0x4E, 0x89))
    box = ImageChops.difference(picture.convert("RGB"), ground).point(lambda v: 255 if v > 40 else 0).getbbox()
    assert box is not None
    return box


def test_a_maskable_icon_keeps_its_picture_inside_the_safe_zone(client: Client) -> None:
    maskable = _drawing_box(Image.open(io.BytesIO(_body(client.get("/pwa/icons/maskable-512.png")))))
    plain = _drawing_box(Image.open(io.BytesIO(_body(client.get("/pwa/icons/icon-512.png")))))
    # Launchers may crop to a circle of 80 % of the width: everything drawn stays inside it.
    left, top, right, bottom = maskable
    corners = [(left, top), (right, top), (left, bottom), (right, bottom)]
    assert all(((x - 256) ** 2 + (y - 256) ** 2) ** 0.5 <= 0.4 * 512 + 1 for x, y in corners), maskable
    assert (plain[2] - plain[0]) > (right - left)  # the plain icon uses more of its square


def test_an_icon_without_the_current_version_is_kept_only_a_day(client: Client) -> None:
    response = client.get("/pwa/icons/icon-192.png")
    assert "immutable" not in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]


def test_an_unknown_icon_is_not_found(client: Client) -> None:
    assert client.get("/pwa/icons/../../settings.py").status_code == 404
    assert client.get("/pwa/icons/icon-1024.png").status_code == 404


def test_the_service_worker_is_served_at_the_root_as_javascript_and_revalidated(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    assert "__VERSION__" not in body and '"/offline/"' in body
    assert client.get("/sw.js", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_service_worker_changes_when_what_it_keeps_changes(client: Client, settings: Any) -> None:
    before = client.get("/sw.js")["ETag"]
    settings.STATIC_URL = "/assets/"
    assert client.get("/sw.js")["ETag"] != before


def test_everything_the_worker_keeps_answers_and_stays_under_500_kb(client: Client, cast: Any) -> None:
    client.force_login(cast.rep_a1)
    total = 0
    for url in precache_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        total += len(_body(response))
    assert total < 500_000, total


def test_rep_pages_link_the_manifest_and_register_the_worker(client: Client, cast: Any) -> None:
    client.force_login(cast.rep_a1)
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert "pwa/register.js" in page


def test_staff_pages_do_not_register_the_worker(client: Client, cast: Any) -> None:
    client.force_login(cast.manager_a)
    assert "pwa/register.js" not in client.get("/me/").content.decode()


def test_the_offline_page_says_the_rep_is_offline_in_their_language(client: Client, cast: Any) -> None:
    client.force_login(cast.rep_a1)
    response = client.get("/offline/")
    assert "オフラインです" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
