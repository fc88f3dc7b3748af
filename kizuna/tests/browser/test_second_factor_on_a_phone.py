"""Required second factor on a phone (375×667): a manager is led to enrol TOTP, then signs in with a code."""

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp_now(secret: str, step: int = 0) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_manager_enrols_an_authenticator_app_and_signs_in_with_it(cast, phone, live_server):
    from kizuna.orgs.security import mfa_policy_set

    mfa_policy_set(roles=["manager"], by=cast.admin)
    base = live_server.url
    sign_in(phone, base, cast.manager_a.email)
    # Led to the enrolment page, with the reason, instead of the dashboard.
    assert phone.url == f"{base}/accounts/2fa/"
    assert phone.get_by_text("あなたの役割では二要素認証が必要です").is_visible()
    phone.goto(f"{base}/partner/dashboard/")
    assert phone.url == f"{base}/accounts/2fa/"  # no way around it

    phone.locator("a[href='/accounts/2fa/totp/activate/']").first.click()
    phone.wait_for_load_state()
    # allauth asks for the password once more before adding a second factor.
    assert "/accounts/reauthenticate/" in phone.url
    phone.fill("input[name=password]", "kizuna-demo")
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_load_state()
    assert no_horizontal_scroll(phone)
    secret = phone.locator("#authenticator_secret").input_value()
    phone.fill("input[name=code]", "000000" if totp_now(secret) != "000000" else "111111")
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_load_state()
    assert phone.locator(".errorlist, .message.error, [role=alert]").count() > 0  # a wrong code is refused
    phone.fill("input[name=code]", totp_now(secret))
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_load_state()
    # Recovery codes are shown once enrolled; after that the person goes on to their own pages.
    assert "/accounts/2fa/recovery-codes/" in phone.url
    phone.goto(f"{base}/partner/dashboard/")
    assert phone.url == f"{base}/partner/dashboard/"

    # Next sign-in: the password alone is not enough; the authenticator's code is asked for.
    phone.context.clear_cookies()
    sign_in(phone, base, cast.manager_a.email)
    assert phone.url == f"{base}/accounts/2fa/authenticate/"
    assert no_horizontal_scroll(phone)
    # A code is good once; the next period's (accepted: MFA_TOTP_TOLERANCE) is surely not the one used above.
    phone.fill("input[name=code]", totp_now(secret, step=1))
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_load_state()
    assert phone.url == f"{base}/partner/dashboard/"
