"""A security key / passkey (WebAuthn) on a phone (375×667), with Chromium's virtual authenticator (CDP): a manager
who must have a second factor adds one, and the next sign-in asks for it instead of a code."""

from typing import Any

import pytest

from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _virtual_authenticator(page: Any) -> tuple[Any, str]:
    """Plug a platform authenticator (a phone's built-in passkey) into this page; it answers every request."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    answer = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, answer["authenticatorId"]


def test_a_manager_adds_a_passkey_and_signs_in_with_it(cast: Any, phone: Any, live_server: Any) -> None:
    from allauth.mfa.models import Authenticator

    from kizuna.orgs.security import mfa_policy_set

    mfa_policy_set(roles=["manager"], by=cast.admin)
    base = live_server.url
    phone.set_default_timeout(60000)  # a shared machine: each step waits for the server, never for nothing
    cdp, authenticator_id = _virtual_authenticator(phone)
    sign_in(phone, base, cast.manager_a.email)
    assert phone.url == f"{base}/accounts/2fa/"  # led to enrol first

    phone.goto(f"{base}/accounts/2fa/webauthn/add/")
    if "/accounts/reauthenticate/" in phone.url:  # allauth asks for the password once more
        phone.fill("input[name=password]", "kizuna-demo")
        phone.locator("form button[type=submit]").last.click()
        phone.wait_for_url(f"{base}/accounts/2fa/webauthn/add/**")
    phone.fill("input[name=name]", "仕事用スマホ")
    phone.locator("#mfa_webauthn_add").click()
    phone.wait_for_url(lambda url: "/webauthn/add/" not in url)
    phone.wait_for_load_state()
    key = Authenticator.objects.get(user=cast.manager_a, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "仕事用スマホ"
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]) == 1
    phone.goto(f"{base}/partner/dashboard/")
    assert phone.url == f"{base}/partner/dashboard/"  # enrolled: the pages open

    # Next sign-in: after the password, the passkey is asked for (the virtual authenticator answers).
    phone.context.clear_cookies()
    sign_in(phone, base, cast.manager_a.email)
    assert phone.url == f"{base}/accounts/2fa/authenticate/"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.locator("#mfa_webauthn_authenticate").click()
    phone.wait_for_url(f"{base}/partner/dashboard/")
    key.refresh_from_db()
    assert key.last_used_at is not None
