"""In a real browser on a phone (375×667, Japanese): a rep taps "?" on their home, reads its help, and finds
the review's help with the Japanese search."""

from typing import Any

import pytest

from kizuna.tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_rep_opens_the_help_of_their_screen_and_searches_it(cast, live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/")
    link = page.locator("a.help-link")
    box = link.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "ホーム画面: 次にやること" and _fits(page)
    page.locator("a[href='/help/']").first.click()
    page.wait_for_load_state()
    page.fill("#help-search input[name=q]", "復習の間隔")
    page.locator("#help-search button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#help-results a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "今日の3分復習のしくみ" and _fits(page)
