"""In a real browser on a phone (375×667, Japanese): an author opens the studio's freshness list, sees the lesson
whose product changed first, checks it and confirms it current; a rep then sees the new date on the lesson."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kizuna.freshness.models import Freshness
from kizuna.freshness.services import product_mark_changed
from kizuna.tests.browser_support import PHONE, sign_in

from .helpers import linked_lesson, product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(45000)  # the shared test machine is slow at times
    return context.new_page()


def test_an_author_sees_stale_content_first_and_confirms_it(cast, live_server, browser):
    base = live_server.url
    today = timezone.localdate()
    linked_lesson(cast, product(name="安心プラン", slug="anshin"), review_by=today + timedelta(days=120))
    prod = product()
    lesson = linked_lesson(cast, prod, review_by=today + timedelta(days=200))
    product_mark_changed(user=cast.admin, product=prod, note="4月から料金が変わります")

    page = _phone(browser)
    sign_in(page, base, cast.author.email)
    page.goto(f"{base}/studio/freshness/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    first = page.locator("#freshness-list > li").first
    assert first.get_attribute("data-id") == str(lesson.pk)
    assert "製品が変更されました" in first.inner_text()
    first.locator("a").click()
    page.wait_for_load_state()
    assert "4月から料金が変わります" in page.content()
    page.locator("#confirm button[type=submit]").click()
    page.wait_for_load_state()
    assert "最新であることを確認しました" in page.content()
    row = Freshness.objects.get(kind="lesson", object_id=lesson.pk)
    assert row.flagged_at is None and row.confirmed_by_id == cast.author.pk

    rep = _phone(browser)
    sign_in(rep, base, cast.rep_a1.email)
    published = lesson.module.course.latest_version.lessons.get()
    rep.goto(f"{base}/learn/lessons/{published.pk}/")
    assert rep.locator("#lesson-confirmed").inner_text().startswith("最終確認日")
