"""Sign-in security on a phone (375×667): the admin requires a second factor for managers, a manager gets in
with a recovery code when the authenticator app is away, then signs out everywhere, which ends a second session."""

from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from kizuna.tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_admin_requires_a_second_factor_and_a_manager_gets_in_with_a_recovery_code_then_signs_out_everywhere(
    cast: Any, phone: Any, browser: Any, live_server: Any
) -> None:
    from kizuna.orgs.security import security_policy

    base = live_server.url
    phone.context.set_default_navigation_timeout(60000)  # a loaded machine's live server is slow to first answer
    # The principal admin ticks "manager" on the sign-in security page.
    sign_in(phone, base, cast.admin.email)
    phone.goto(f"{base}/settings/security/")
    assert no_horizontal_scroll(phone)
    phone.locator("input[name=mfa_roles][value=manager]").check()
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_load_state()
    assert security_policy().mfa_roles == ["manager"]
    phone.context.clear_cookies()

    # The manager has an authenticator app and recovery codes; the phone with the app is away.
    TOTP.activate(cast.manager_a, generate_totp_secret())
    codes = RecoveryCodes.activate(cast.manager_a).get_unused_codes()
    # A second session of the manager, in another browser.
    elsewhere = browser.new_context(viewport=PHONE, locale="ja-JP")
    elsewhere.set_default_navigation_timeout(60000)
    other = elsewhere.new_page()
    try:
        sign_in(other, base, cast.manager_a.email)
        assert other.url == f"{base}/accounts/2fa/authenticate/"
        other.fill("input[name=code]", codes[1])
        other.locator("form button[type=submit]").last.click()
        other.wait_for_load_state()
        assert other.url == f"{base}/partner/dashboard/"

        sign_in(phone, base, cast.manager_a.email)
        assert phone.url == f"{base}/accounts/2fa/authenticate/"
        assert no_horizontal_scroll(phone)
        phone.fill("input[name=code]", codes[1])  # already spent elsewhere: refused
        phone.locator("form button[type=submit]").last.click()
        phone.wait_for_load_state()
        expect(phone.locator(".errorlist, .message.error, [role=alert]").first).to_be_visible()
        phone.fill("input[name=code]", codes[0])
        phone.locator("form button[type=submit]").last.click()
        phone.wait_for_load_state()
        assert phone.url == f"{base}/partner/dashboard/"

        # Sign out everywhere from the profile: this phone and the other session both end.
        phone.goto(f"{base}/me/")
        assert no_horizontal_scroll(phone)
        phone.get_by_role("button", name="すべての端末からサインアウト").click()
        phone.wait_for_load_state()
        phone.goto(f"{base}/partner/dashboard/")
        assert "/accounts/login/" in phone.url
        other.goto(f"{base}/partner/dashboard/")
        assert "/accounts/login/" in other.url
    finally:
        elsewhere.close()
