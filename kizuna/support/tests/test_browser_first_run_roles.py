"""In a real browser on a phone (375×667): the guided start of a manager (in English), an author and an admin
(in Japanese). Each walks or skips its own steps; once done or skipped, the same person on another phone is not
offered it again (it is remembered per person, not per browser)."""

from typing import Any

import pytest
from django.urls import reverse

from kizuna.support.first_run import STEPS
from kizuna.support.models import GuidedStart
from kizuna.tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser: Any, locale: str) -> Any:
    context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True, has_touch=True)
    context.set_default_timeout(30000)  # the shared test machine is slow at times
    return context.new_page()


def _fits(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize(
    ("who", "role", "locale", "skip_at"),
    [("manager_a", "manager", "en-US", None), ("author", "author", "ja-JP", 2), ("admin", "admin", "ja-JP", None)],
)
def test_each_roles_first_run_on_a_phone(cast, live_server, browser, who, role, locale, skip_at):
    person, base = getattr(cast, who), live_server.url
    english = locale.startswith("en")
    page = _phone(browser, locale)
    sign_in(page, base, person.email)
    page.goto(f"{base}/")
    page.locator("#first-run-offer a.btn").click()
    page.wait_for_load_state()
    steps = STEPS[role]
    for number, step in enumerate(steps, start=1):
        assert page.locator("h1").inner_text() == (step.title_en if english else step.title_ja)
        assert page.locator(".first-run-step a[target=_blank]").get_attribute("href") == reverse(step.url_name)
        assert _fits(page)
        if number == skip_at:
            page.locator("#first-run-actions button.secondary").click()
            break
        if number < len(steps):
            page.locator("#first-run-next").click()
            page.wait_for_load_state()
        else:
            page.locator("#first-run-finish").click()
    page.wait_for_load_state()
    assert page.locator("#first-run-offer").count() == 0
    start = GuidedStart.objects.get(user=person)
    assert start.skipped is (skip_at is not None)

    other_phone = _phone(browser, locale)
    sign_in(other_phone, base, person.email)
    other_phone.goto(f"{base}/")
    other_phone.locator("main h1, h1").first.wait_for()
    assert other_phone.locator("#first-run-offer").count() == 0
