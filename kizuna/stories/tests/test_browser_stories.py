"""In a real browser on a phone (375×667, Japanese): a manager nominates a rep's success from the KPI board's rep
page, the rep agrees and answers the interview, and an author makes the lesson in one action and publishes it."""

from typing import Any

import pytest

from kizuna.gamification.models import PointAward
from kizuna.notifications.models import Notification
from kizuna.stories.models import SuccessStory
from kizuna.tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(45000)  # the shared test machine is slow at times
    return context.new_page()


def _fits(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_manager_nominates_the_rep_records_the_interview_and_an_author_publishes(cast, live_server, browser):
    base = live_server.url

    manager = _phone(browser)
    sign_in(manager, base, cast.manager_a.email)
    manager.goto(f"{base}/kpis/reps/{cast.rep_a1.pk}/")
    manager.locator("#nominate-story").click()
    manager.wait_for_load_state()
    assert manager.locator("select[name=source]").input_value() == "kpi"
    manager.fill("input[name=headline]", "断られた理由を聞き直してアポ獲得率が倍に")
    manager.locator("#nominate button[type=submit]").click()
    manager.wait_for_load_state()
    story = SuccessStory.objects.get()
    assert story.rep == cast.rep_a1 and story.source == "kpi"

    rep = _phone(browser)
    sign_in(rep, base, cast.rep_a1.email)
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="stories.nominated").exists()
    rep.goto(f"{base}/stories/")
    rep.locator(f"#stories [data-story='{story.pk}'] a").click()
    rep.wait_for_load_state()
    assert _fits(rep)
    rep.locator("#consent button[value=yes]").click()
    rep.wait_for_load_state()
    rep.fill("textarea[name=situation]", "「今は間に合っています」と断られることが続いていました。")
    rep.fill("textarea[name=tried]", "どこが間に合っているのかを一つだけ聞きました。")
    rep.fill("textarea[name=worked]", "月末に困ることを聞くと、半分の方が話してくださいました。")
    rep.fill("textarea[name=advice]", "売り込まずに、困りごとを一つだけ聞いてください。")
    rep.locator("#interview-form button[type=submit]").click()
    rep.wait_for_load_state()
    story.refresh_from_db()
    assert story.status == SuccessStory.Status.INTERVIEWED and story.credit == "name"

    author = _phone(browser)
    sign_in(author, base, cast.author.email)
    author.goto(f"{base}/stories/")
    author.locator(f"#stories-waiting [data-story='{story.pk}'] a").click()
    author.wait_for_load_state()
    author.locator("#story-draft button").click()
    author.wait_for_load_state()
    assert "/studio/courses/" in author.url and "パートナー成功事例" in author.content()
    author.goto(f"{base}/stories/{story.pk}/")
    author.locator("#story-publish button").click()
    author.wait_for_load_state()
    assert author.locator("#story-status").inner_text() == "公開済み"
    assert _fits(author)

    story.refresh_from_db()
    assert story.course.latest_version is not None
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="stories.published").exists()
    assert Notification.objects.filter(recipient=cast.manager_a, kind="stories.published").exists()
    assert PointAward.objects.filter(user=cast.rep_a1, kind="success_story").exists()
