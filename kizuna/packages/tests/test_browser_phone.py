"""A rep completes a SCORM 1.2 package on a phone (375×667), then finds it resumable on a PC."""

from typing import Any

import pytest
from playwright.sync_api import expect

from kizuna.records.models import LessonProgress, Statement
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_completes_a_scorm_package_on_a_phone_and_resumes_on_a_pc(
    cast: Any, scorm12_lesson: Any, live_server: Any, phone: Any, browser: Any
) -> None:
    page, base = phone, live_server.url
    _course, lesson, package = scorm12_lesson
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.locator("#package-start").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/sco/**")
    sco = page.frame_locator("#package-frame")
    expect(sco.locator("#name")).to_have_text("営業 一子")  # the SCO found the API and read the learner
    assert sco.locator("#resume").inner_text() == "-"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    sco.get_by_role("button", name="b を選んで送信").click()
    expect(sco.locator("#done")).to_have_text("finished")
    page.locator("#package-status", has_text="終了しました").wait_for()
    lp = LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk)
    assert lp.completed_at is not None
    verbs = set(Statement.objects.filter(actor=cast.rep_a1).values_list("verb", flat=True))
    assert {"http://adlnet.gov/expapi/verbs/answered", "http://adlnet.gov/expapi/verbs/passed"} <= verbs
    page.locator("#package-back").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/")
    assert page.locator(".package-sco .badge.done").inner_text() == "✓ 合格"

    desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    pc = desk.new_page()
    sign_in(pc, base, cast.rep_a1.email)
    pc.goto(f"{base}/learn/lessons/{lesson.pk}/sco/{package.scos.get().pk}/")
    expect(pc.frame_locator("#package-frame").locator("#resume")).to_have_text("slide=3")
    desk.close()


def test_a_rep_passes_a_scorm2004_package_on_a_phone(
    cast: Any, scorm2004_lesson: Any, live_server: Any, phone: Any
) -> None:
    page, base = phone, live_server.url
    _course, lesson, package = scorm2004_lesson
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.locator("#package-start").click()
    sco = page.frame_locator("#package-frame")
    expect(sco.locator("#name")).to_have_text("営業 一子")
    sco.get_by_role("button", name="b を選んで送信").click()
    page.locator("#package-status", has_text="終了しました").wait_for()
    state = package.scos.get().states.get(rep=cast.rep_a1)
    assert (state.completion, state.success, state.score_scaled) == ("completed", "passed", 0.9)
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None
