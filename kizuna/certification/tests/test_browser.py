"""At phone size: a rep finishes a course and is certified, and their manager sees the certification."""

import pytest

from kizuna.tests.browser_support import sign_in

from .helpers import product_certification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_finishes_a_course_is_certified_and_the_manager_sees_it(cast, live_server, phone, article_course):
    cert = product_certification(cast, article_course)
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/certifications/{cert.pk}/")
    assert page.get_by_text("0 / 2").count() or page.get_by_text("製品の基本").first.is_visible()
    assert page.locator(".cert-in_progress").first.is_visible()
    for lesson in article_course.latest_version.lessons.order_by("position"):
        page.goto(f"{base}/learn/lessons/{lesson.pk}/")
        page.get_by_role("button", name="完了にする").click()
        page.wait_for_load_state()
    page.goto(f"{base}/certifications/")
    assert page.locator(".cert-certified").first.is_visible()
    assert page.get_by_text("クラウドPro販売認定").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(f"{base}/certifications/{cert.pk}/")
    assert page.locator(".cert-certified").first.is_visible()

    page.context.clear_cookies()
    sign_in(page, base, cast.manager_a.email)
    page.goto(f"{base}/certifications/")
    row = page.locator("tr", has_text="営業 一子")
    assert row.locator(".cert-certified").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
