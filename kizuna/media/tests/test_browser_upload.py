"""The studio's main path in a real browser at 375×667: an author uploads from a phone and watches the result."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from kizuna.media.models import Video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def author_phone(cast: Any, live_server: Any, phone: Any) -> Iterator[Any]:
    client = Client()
    client.force_login(cast.author)
    phone.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    yield phone


def test_an_author_uploads_from_a_phone_and_watches_it(author_phone, live_server, clips):
    page = author_phone
    page.goto(f"{live_server.url}/studio/videos/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # A picture named .mp4 is refused in Japanese; the title stays.
    page.fill("#id_title", "朝礼: 今週の一言")
    page.set_input_files("#id_file", str(clips.png_named_mp4))
    page.get_by_role("button", name="アップロード").click()
    page.get_by_text("動画ファイルとして読み取れませんでした").wait_for()
    assert page.input_value("#id_title") == "朝礼: 今週の一言"
    assert not Video.objects.exists()

    # A real clip goes through (tasks run immediately in tests) and plays, seeking by range requests.
    page.set_input_files("#id_file", str(clips.with_audio))
    page.get_by_role("button", name="アップロード").click()
    page.wait_for_url("**/studio/videos/*/")
    page.wait_for_selector(".player video")
    page.wait_for_function("document.querySelector('.player video').readyState >= 1")
    assert page.evaluate("document.querySelector('.player video').duration") == pytest.approx(2, abs=0.2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert Video.objects.get().title == "朝礼: 今週の一言"
