"""In a real browser, on a phone (375×667, Japanese) and on a desktop: the manager accepts the agreement
and sees their compliance gaps."""

from typing import Any

import pytest

from conftest import publish_course
from kizuna.agreements.models import AgreementVersion
from kizuna.tests.browser_support import PHONE, sign_in

from .helpers import write_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}


def _page(browser: Any, viewport: dict[str, int], mobile: bool) -> Any:
    context = browser.new_context(viewport=viewport, locale="ja-JP", is_mobile=mobile, has_touch=mobile)
    context.set_default_timeout(15000)
    return context.new_page()


def no_horizontal_scroll(page: Any) -> bool:
    # Against the viewport's own width: a mobile browser widens its layout viewport to fit overflowing content.
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_manager_accepts_the_agreement_and_sees_the_gaps(cast, live_server, browser, size):
    publish_course(
        cast,
        slug="late",
        title="期限切れの研修",
        lessons=[{"kind": "article", "title": "本文", "body": "本文です。"}],
        due_in_days=-2,
    )
    version = write_version(cast, min_minutes_per_month=0)
    page = _page(browser, PHONE if size == "phone" else DESKTOP, size == "phone")
    base = live_server.url
    sign_in(page, base, cast.manager_a.email)

    page.goto(f"{base}/partner/agreement/")
    assert no_horizontal_scroll(page)
    page.locator(f"a[href='/agreements/versions/{version.pk}/']").first.click()
    page.wait_for_load_state()
    assert no_horizontal_scroll(page)
    button = page.locator("form[action$='/accept/'] button[type=submit]")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44  # a thumb-sized button
    button.click()
    page.wait_for_load_state()
    assert page.locator("form[action$='/accept/']").count() == 0
    assert no_horizontal_scroll(page)
    version.refresh_from_db()
    assert version.accepted_by_id == cast.manager_a.pk

    page.goto(f"{base}/compliance/?gaps=1")
    assert no_horizontal_scroll(page)
    assert page.locator("#gap-count").inner_text().strip() == "2"  # both of partner A's reps are overdue
    assert page.get_by_text(cast.rep_a1.name).first.is_visible()
    assert page.get_by_text(cast.rep_b1.name).count() == 0
    assert AgreementVersion.objects.filter(accepted_at__isnull=False).count() == 1
