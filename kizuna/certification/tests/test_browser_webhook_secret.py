"""At phone size: the admin makes a new webhook secret, sees it once, and retires the old one."""

import pytest

from kizuna.certification import webhooks
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_rotates_a_webhook_secret_and_retires_the_old_one(cast, live_server, phone):
    endpoint, old_secret = webhooks.webhook_endpoint_create(
        url="https://crm.example/hooks", events=["entitlement.granted"], created_by=cast.admin
    )
    page, base = phone, live_server.url
    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/settings/webhooks/{endpoint.pk}/")
    page.get_by_role("button", name="新しいシークレットを作成").click()
    page.wait_for_load_state()
    endpoint.refresh_from_db()
    assert endpoint.previous_secret == old_secret
    assert page.locator(".cert-secret code").inner_text() == endpoint.secret
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"{base}/settings/webhooks/{endpoint.pk}/")
    page.get_by_role("button", name="古いシークレットを無効にする").click()
    page.wait_for_load_state()
    assert page.get_by_text("古いシークレットを無効にしました").is_visible()
    endpoint.refresh_from_db()
    assert endpoint.previous_secret == ""
