"""In a real browser at 375×667: the principal admin makes an agency's provisioning token, copies it once, and
revokes it; the token provisions only while it lives."""

from typing import Any

import pytest
from django.test import Client

from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_makes_an_agencys_scim_token_on_a_phone_and_revokes_it(
    cast: Any, live_server: Any, phone: Any
) -> None:
    page, base = phone, live_server.url
    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/settings/scim/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.select_option("select[name=partner]", str(cast.partner_b.pk))
    page.fill("input[name=name]", "Okta")
    page.get_by_role("button", name="作成", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("今すぐコピーしてください").is_visible()
    raw = page.input_value("#new-token")
    assert raw.startswith("kzscim_")
    users = Client().get("/scim/v2/Users", headers={"authorization": f"Bearer {raw}"})
    assert users.status_code == 200
    assert b"rep1@partner-b.example" in users.content and b"partner-a.example" not in users.content

    page.goto(f"{base}/settings/scim/")
    assert raw not in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="無効にする").click()
    page.wait_for_load_state()
    assert page.get_by_text("を無効にしました").is_visible()
    assert Client().get("/scim/v2/Users", headers={"authorization": f"Bearer {raw}"}).status_code == 401
