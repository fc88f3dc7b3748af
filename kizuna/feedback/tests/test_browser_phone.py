"""Feedback's main paths in a real browser at 375×667: a rep records field voice, a rep gives feedback on a
lesson, the author handles it from a phone, and the rep sees what changed."""

import time
from typing import Any

import pytest

from kizuna.feedback.models import FieldVoice, LessonFeedback
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_rep_records_field_voice_in_under_a_minute(cast, live_server, phone):
    from kizuna.catalog import services as catalog

    catalog.product_create(name="クラウド勤怠 KIZUNA", slug="kizuna-attendance")
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    started = time.monotonic()
    page.goto(f"{base}/field-voice/")
    page.locator("#voice-new").click()
    page.wait_for_url("**/field-voice/new/")
    assert no_sideways_scroll(page)
    page.get_by_label("反論・懸念").check()
    page.fill("#id_text", "他社より高いのでは?")
    page.select_option("#id_product", label="クラウド勤怠 KIZUNA")
    page.select_option("#id_deal_stage", value="proposal")
    page.select_option("#id_industry", value="retail")
    page.get_by_role("button", name="送信").click()
    page.wait_for_url("**/field-voice/")
    assert time.monotonic() - started < 60
    assert page.get_by_text("他社より高いのでは?").is_visible()
    assert no_sideways_scroll(page)
    voice = FieldVoice.objects.get()
    assert voice.kind == "objection" and voice.deal_stage == "proposal" and voice.product.slug == "kizuna-attendance"


def test_a_rep_gives_feedback_on_a_lesson_and_the_author_handles_it(cast, live_server, phone, article_course):
    lesson = article_course.latest_version.lessons.first()
    page, base = phone, live_server.url

    # The rep, at the end of the lesson: "it didn't work", with a comment.
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    widget = page.locator("#feedback")
    widget.scroll_into_view_if_needed()
    assert widget.get_by_text("お客様との商談で役立ちましたか?").is_visible()
    widget.get_by_label("うまくいかなかった").check()
    widget.locator("textarea[name=comment]").fill("料金の説明でお客様が首をかしげました。")
    widget.get_by_role("button", name="送信").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/#feedback")
    assert page.locator("#feedback .feedback-text").get_by_text("料金の説明でお客様が首をかしげました。").is_visible()
    assert no_sideways_scroll(page)
    assert LessonFeedback.objects.get().worked is False

    # The author, on a phone: the inbox, the lesson's feedback, a note of what changed.
    page.context.clear_cookies()
    sign_in(page, base, cast.author.email)
    page.goto(f"{base}/feedback/")
    page.get_by_text(lesson.title).click()
    page.wait_for_url(f"**/feedback/lessons/{lesson.pk}/")
    assert no_sideways_scroll(page)
    page.fill("textarea[name=note]", "料金の具体例を追加しました。")
    page.get_by_role("button", name="対応済みにする").click()
    page.wait_for_load_state()
    assert page.get_by_text("料金の具体例を追加しました。").is_visible()
    assert LessonFeedback.objects.get().is_handled

    # The rep sees what changed on the lesson.
    page.context.clear_cookies()
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/#feedback")
    assert page.locator("#feedback").get_by_text("料金の具体例を追加しました。").is_visible()
    assert no_sideways_scroll(page)
