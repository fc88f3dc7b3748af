"""The main path in a real browser at 375×667: a rep finishes a course and sees points, a badge and their new rank."""

from typing import Any

import pytest

from kizuna.gamification.models import Celebration
from kizuna.tests.browser_support import sign_in

from .conftest import quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_rep_finishes_a_course_and_sees_points_a_badge_and_the_new_rank(cast, article_course, live_server, phone):
    page, base = phone, live_server.url
    quiz(cast.rep_a2, key="warm-up")  # a colleague leads the week with 20 points
    sign_in(page, base, cast.rep_a1.email)

    page.goto(f"{base}/rankings/?scope=agency&period=week")
    assert page.locator(".ranking li.is-me").count() == 0

    lessons = list(article_course.latest_version.lessons.order_by("position"))
    page.goto(f"{base}/learn/lessons/{lessons[0].pk}/")
    for _ in lessons:
        page.locator("form[action$='/complete/'] button[type=submit]").click()
        page.wait_for_load_state()

    page.goto(f"{base}/")
    banner = page.locator("[data-celebrate]")
    assert banner.is_visible()
    assert "70" in banner.inner_text() and "はじめての修了" in banner.inner_text()
    assert page.locator(".game-stats .stat").first.inner_text() == "70"
    assert no_sideways_scroll(page)
    # The banner's script tells the server it was seen: it shows once.
    for _ in range(50):
        if Celebration.objects.filter(user=cast.rep_a1, points=70).exists():
            break
        page.wait_for_timeout(100)
    assert Celebration.objects.filter(user=cast.rep_a1, points=70).exists()

    page.locator(".game-strip a[href='/badges/']").click()
    page.wait_for_url("**/badges/")
    earned = page.locator(".badge-card:not(.is-locked)")
    assert earned.count() == 1 and "はじめての修了" in earned.inner_text()
    assert no_sideways_scroll(page)

    page.goto(f"{base}/rankings/?scope=agency&period=week")
    me = page.locator(".ranking li.is-me")
    assert me.locator(".rank").inner_text() == "1"
    assert "70" in me.inner_text()
    assert no_sideways_scroll(page)

    page.goto(f"{base}/")
    assert page.locator("[data-celebrate]").count() == 0
