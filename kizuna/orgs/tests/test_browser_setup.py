"""In a real browser on a phone (375×667, Japanese): the admin sets up a new agency to completion, following its
checklist from step to step, and the checklist leaves the agency's page once the manager accepted."""

from typing import Any

import pytest

from conftest import publish_course
from kizuna.accounts.models import User
from kizuna.agreements.tests.helpers import in_days
from kizuna.tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    return context.new_page()


def _fits(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _next_step(page: Any, key: str) -> None:
    page.locator(f"#setup [data-step={key}] a.btn").click()
    page.wait_for_load_state()


def test_an_admin_sets_up_a_new_agency_to_completion(cast, live_server, browser):
    course = publish_course(
        cast,
        slug="basics",
        title="商品基礎",
        lessons=[{"kind": "article", "title": "本文", "body": "本文です。"}],
        partner=cast.partner_b,
    )
    base = live_server.url
    page = _phone(browser)
    sign_in(page, base, cast.admin.email)

    page.goto(f"{base}/partners/")
    page.fill("input[name=name]", "パートナーC株式会社")
    page.fill("input[name=slug]", "partner-c")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("#setup").is_visible() and _fits(page)
    assert page.locator("#setup .setup-step:not(.is-done)").count() == 5

    page.fill("#new-team input[name=name]", "札幌チーム")
    page.locator("#new-team button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#setup [data-step=teams].is-done").count() == 1

    _next_step(page, "manager")
    assert page.locator("select[name=role]").input_value() == "manager" and _fits(page)
    page.fill("input[name=name]", "管理 C子")
    page.fill("input[name=email]", "manager@partner-c.example")
    page.locator("form.person-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#setup [data-step=manager].is-done").count() == 1

    _next_step(page, "agreement")
    assert _fits(page)
    page.select_option(f"select[name=agreement-course_{course.pk}]", "required")
    page.fill(f"input[name=agreement-due_{course.pk}]", in_days(14).isoformat())
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("#setup [data-step=courses].is-done").count() == 1
    assert page.locator("#setup [data-step=agreement]:not(.is-done)").count() == 1  # waits for the manager

    _next_step(page, "reps")
    page.fill("input[name=name]", "新人 一郎")
    page.fill("input[name=email]", "rep1@partner-c.example")
    page.locator("form.person-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#setup [data-step=reps].is-done").count() == 1

    # The manager signs in from the invitation (a password set here) and accepts the agreement.
    manager = User.objects.get(email="manager@partner-c.example")
    manager.set_password("kizuna-demo")
    manager.save()
    manager_page = _phone(browser)
    sign_in(manager_page, base, manager.email)
    manager_page.goto(f"{base}/partner/agreement/")
    manager_page.locator("a[href^='/agreements/versions/']").first.click()
    manager_page.wait_for_load_state()
    manager_page.locator("form[action$='/accept/'] button[type=submit]").click()
    manager_page.wait_for_load_state()

    page.reload()
    assert page.locator("#setup").count() == 0
    assert page.get_by_text("札幌チーム").first.is_visible() and _fits(page)
