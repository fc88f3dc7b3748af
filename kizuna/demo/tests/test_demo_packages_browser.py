"""The demo's own SCORM 1.2 package and cmi5 course (kizuna/demo/packages.py) play on a phone (375×667): the SCO
talks to scorm-again, the AU to the fetch URL and the LRS, and both complete their lessons."""

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import publish_course
from kizuna.records.models import LessonProgress
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_package_and_cmi5_course_play_on_a_phone(cast: Any, live_server: Any, phone: Any) -> None:
    from kizuna.cmi5.services import cmi5_course_import
    from kizuna.demo.packages import cmi5_demo_zip, scorm_demo_zip
    from kizuna.packages.services import package_import

    package = package_import(upload=scorm_demo_zip(), author=cast.author)
    cmi5 = cmi5_course_import(upload=cmi5_demo_zip(), author=cast.author)
    course = publish_course(
        cast,
        slug="demo-imported",
        title="取り込んだ教材",
        lessons=[
            {"kind": "package", "title": package.title, "content_id": package.pk},
            {"kind": "cmi5", "title": cmi5.title, "content_id": cmi5.pk},
        ],
    )
    scorm_lesson, cmi5_lesson = course.latest_version.lessons.order_by("position")
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)

    page.goto(f"{base}/learn/lessons/{scorm_lesson.pk}/")
    page.locator("#package-start").click()
    sco = page.frame_locator("#package-frame")
    sco.locator('input[name="value-first"][value="b"]').check()
    sco.locator('input[name="proof"][value="a"]').check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    sco.get_by_role("button", name="送信 / Send").click()
    expect(sco.locator("#result")).to_have_text("得点 100 点 / Score 100")
    page.locator("#package-status", has_text="終了しました").wait_for()
    state = package.scos.get().states.get(rep=cast.rep_a1)
    assert (state.completion, state.success, state.score_raw) == ("completed", "passed", 100)
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=scorm_lesson.pk).completed_at is not None

    page.goto(f"{base}/learn/lessons/{cmi5_lesson.pk}/")
    page.locator(".cmi5-launch").first.click()
    page.wait_for_url("**/cmi5/au/index.html?**")
    expect(page.locator("#result")).to_have_text("準備ができました / Ready")
    page.locator('input[name="value-first"][value="b"]').check()
    page.locator('input[name="proof"][value="b"]').check()  # one of two right: 0.5 meets the masteryScore
    page.get_by_role("button", name="送信 / Send").click()
    page.wait_for_url(f"**/learn/lessons/{cmi5_lesson.pk}/")  # back to the LMS (returnURL)
    expect(page.locator("#cmi5-satisfied")).to_be_visible()
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=cmi5_lesson.pk).completed_at is not None
