"""On a phone (375×667): a rep browses the course library by story tag, and an attendee rewatches a live recording."""

import io
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.files import File

from kizuna.catalog import services as catalog
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(page: Any, script: str, timeout: float = 20.0) -> None:
    """Poll a JS expression (wait_for_function would need eval, which our CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({script})"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


def no_sideways_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def story_course(cast: Any, slug: str, title: str, tag: str) -> Any:
    story = catalog.story_tags_ensure()
    course = catalog.course_create(author=cast.author, title=title, slug=slug, tags=[story[tag]])
    module = catalog.module_create(course=course, title="はじめに")
    catalog.lesson_create(module=module, kind="article", title=f"{title}の話", body="本文です。")
    catalog.course_publish(course=course, publisher=cast.author)
    catalog.assignment_create(course=course, assigned_by=cast.admin, required=False, partner=cast.partner_a)
    return course


def test_a_rep_browses_the_library_by_story_tag_on_a_phone(cast, live_server, phone):
    story_course(cast, "founder", "創業者が語る原点", "founder_story")
    voice = story_course(cast, "voice", "導入企業の声: 物流A社", "customer_voice")
    story_course(cast, "failure", "失注から学ぶ価格交渉", "failure_case")
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/menu/")
    page.get_by_role("link", name="コース一覧").click()
    page.wait_for_url("**/learn/courses/")
    cards = page.locator(".library-course")
    assert cards.count() == 3
    assert no_sideways_scroll(page)
    chip = page.get_by_role("link", name="お客様の声", exact=True)
    assert chip.bounding_box()["height"] >= 32
    chip.click()
    page.wait_for_url("**/learn/courses/?tag=customer_voice")
    assert cards.count() == 1 and "導入企業の声" in cards.first.inner_text()
    assert page.get_by_role("link", name="お客様の声", exact=True).get_attribute("aria-current") == "page"
    assert no_sideways_scroll(page)
    cards.first.click()
    page.wait_for_url(f"**/learn/courses/{voice.pk}/")
    assert page.get_by_role("heading", name="導入企業の声: 物流A社").is_visible()


def test_an_attendee_rewatches_a_live_recording_on_a_phone(cast, live_server, phone, short_clip):
    from kizuna.live import services
    from kizuna.live.tests.conftest import schedule
    from kizuna.media.services import video_create, video_transcode

    session = schedule(cast, starts_in=timedelta(hours=-3))
    services.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a, notify=False)
    services.live_attendance_import(session=session, file=io.BytesIO(f"email\n{cast.rep_a1.email}\n".encode()))
    with short_clip.open("rb") as fh:
        video = video_create(uploaded_by=cast.author, file=File(fh, name="clip.mp4"), title="説明会の録画")
    video = video_transcode(video=video)
    services.live_recording_attach(session=session, video=video)
    services.live_recording_publish(session=session, publisher=cast.author)

    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/live/")
    page.get_by_role("link", name="新料金プラン説明会").click()
    page.wait_for_url(f"**/live/{session.pk}/")
    assert "Asia/Tokyo" not in page.content()
    player = page.locator(".live-recording video")
    player.scroll_into_view_if_needed()
    assert player.is_visible()
    box = player.bounding_box()
    assert box["width"] <= 375
    wait_until(page, "document.querySelector('.live-recording video').readyState >= 1")
    page.evaluate("(() => { const v = document.querySelector('.live-recording video'); v.muted = true; v.play(); })()")
    wait_until(page, "document.querySelector('.live-recording video').currentTime > 0.5")
    assert no_sideways_scroll(page)
    # The lesson link opens (it was a 404 for those who attended).
    page.get_by_role("link", name="レッスンとして見る").click()
    page.wait_for_load_state()
    assert "/learn/courses/" in page.url and page.locator("h1").count() == 1
    assert "ページが見つかりません" not in page.content() and "Not Found" not in page.content()
