"""At phone size: the bell counts kinds, not rows, and the list shows repeated kinds as one entry."""

from typing import Any

import pytest
from django.utils.translation import gettext_noop

from kizuna.notifications.services import notification_send
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_sees_three_review_notifications_as_one_entry_and_opens_the_group(
    cast: Any, live_server: Any, phone: Any
) -> None:
    for name in ("中村 大輔", "小林 直樹", "山口 由美"):
        notification_send(
            recipient=cast.rep_a1,
            kind="coaching.review_received",
            title=gettext_noop("%(reviewer)s reviewed your roleplay"),
            params={"reviewer": name},
            url="/me/",
            email=False,
        )
    notification_send(
        recipient=cast.rep_a1,
        kind="gamification.kudos",
        title=gettext_noop("%(sender)s sent you kudos"),
        params={"sender": "中村 大輔"},
        email=False,
    )
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    assert page.locator(".bell-count").inner_text() == "2"  # two kinds, four notifications
    page.locator("a.bell").click()
    page.wait_for_load_state()
    entries = page.locator("li.notification-group")
    assert entries.count() == 2
    reviews = page.locator("li.notification-group[data-kind='coaching.review_received']")
    assert reviews.get_by_text("山口 由美さんがあなたのロープレをレビューしました").is_visible()
    assert reviews.get_by_text("新着 3 件").is_visible()
    reviews.get_by_text("ほかに同じ種類が 2 件").click()
    assert reviews.get_by_text("中村 大輔さんがあなたのロープレをレビューしました").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    reviews.locator("button.notification-open").first.click()  # the group: opens the newest, reads all three
    page.wait_for_load_state()
    assert page.url.endswith("/me/")
    assert page.locator(".bell-count").inner_text() == "1"
