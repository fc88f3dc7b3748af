"""In a real browser on a phone (375×667, Japanese): a new rep's first run — the guided start is offered on
their home, walked to the end, not offered again, and re-opened from the help."""

from typing import Any

import pytest

from kizuna.support.first_run import STEPS
from kizuna.tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_new_reps_first_run(cast, live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/")
    offer = page.locator("#first-run-offer")
    assert offer.is_visible() and _fits(page)
    offer.locator("a.btn").click()
    page.wait_for_load_state()
    for step in STEPS["rep"][:-1]:
        assert page.locator("h1").inner_text() == step.title_ja and _fits(page)
        page.locator("#first-run-next").click()
        page.wait_for_load_state()
    assert page.locator("h1").inner_text() == STEPS["rep"][-1].title_ja
    page.locator("#first-run-finish").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/") == base
    assert page.locator("#first-run-offer").count() == 0
    page.reload()
    assert page.locator("#first-run-offer").count() == 0

    page.goto(f"{base}/help/")
    page.locator("a[href='/start/']").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == STEPS["rep"][0].title_ja
