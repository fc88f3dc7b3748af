"""A rep takes a cmi5 course on a phone (375×667): the LMS launches a real AU (HTML + JS), which fetches its
auth-token, reads LMS.LaunchData and sends its statements to the LRS with fetch(); the course is satisfied and
the lesson completed."""

from typing import Any

import pytest
from playwright.sync_api import expect

from kizuna.lrs.models import LrsStatement
from kizuna.records.models import LessonProgress
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_completes_a_cmi5_course_on_a_phone(cast: Any, cmi5_lesson: Any, live_server: Any, phone: Any) -> None:
    page, base = phone, live_server.url
    _course, lesson, cmi5 = cmi5_lesson
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.locator(".cmi5-launch").first.click()
    page.wait_for_url("**/cmi5/au1/index.html?**")
    expect(page.locator("#status")).to_have_text("initialized")  # fetched its token, read LaunchData, initialized
    expect(page.locator("#mode")).to_have_text("Normal CompletedAndPassed")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#finish").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/")  # the AU returned to the LMS (returnURL)
    expect(page.locator("#cmi5-satisfied")).to_be_visible()
    expect(page.locator(".package-sco .badge.done").first).to_contain_text("合格")
    verbs = [v.rsplit("/", 1)[-1] for v in LrsStatement.objects.order_by("seq").values_list("verb", flat=True)]
    assert verbs == ["launched", "initialized", "completed", "passed", "terminated", "satisfied"]
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None


def test_the_principal_waives_an_au_for_a_rep_on_a_phone(
    cast: Any, cmi5_lesson: Any, live_server: Any, phone: Any
) -> None:
    from kizuna.cmi5 import launching

    page, base = phone, live_server.url
    _course, lesson, cmi5 = cmi5_lesson
    au = cmi5.aus.get()
    launching.cmi5_launch(rep=cast.rep_a1, lesson=lesson, au=au, site=base, return_url=base + "/")
    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.locator("#cmi5-waive-link").click()
    page.wait_for_url(f"**/studio/cmi5/lessons/{lesson.pk}/waive/")
    page.select_option("select[name=registration]", label=f"{cast.rep_a1.name} <{cast.rep_a1.email}>")
    page.select_option("select[name=au]", label=au.title)
    page.select_option("select[name=reason]", value="Tested Out")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#cmi5-waive button[type=submit]").click()
    expect(page.locator("#cmi5-waivers")).to_contain_text(au.title)
    waived = LrsStatement.objects.get(verb=launching.VERBS["waived"])
    assert waived.data["result"]["extensions"] == {launching.EXT_REASON: "Tested Out"}
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None
