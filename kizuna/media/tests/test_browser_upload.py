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


def test_an_author_sees_on_a_phone_why_a_video_failed(author_phone, live_server, clips, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kizuna.media.services import video_create, video_transcode_abandon

    video = video_create(
        uploaded_by=cast.author,
        file=SimpleUploadedFile("IMG_0002.mp4", clips.with_audio.read_bytes(), content_type="video/mp4"),
        title="途中で止まった動画",
    )
    # As if its worker had been killed mid-transcode: still processing when the author opens it.
    Video.objects.filter(pk=video.pk).update(status=Video.Status.PROCESSING)
    page = author_phone
    page.goto(f"{live_server.url}/studio/videos/{video.pk}/")
    page.wait_for_selector("#video-status[hx-trigger]")
    video_transcode_abandon(
        video_id=video.pk, failure=Video.Failure.INTERRUPTED, reason="gave up after 3 attempts: WorkerLost"
    )
    # The page polls while the video is processing, then says what happened and why, in Japanese.
    page.get_by_text("変換が何度も中断されました").wait_for()
    assert page.get_by_text("gave up after 3 attempts").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
