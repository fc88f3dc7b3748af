"""Single sign-on does not go around the second factor: a required one is enrolled, an enrolled one is asked for."""

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client

from kizuna.orgs.security import mfa_policy_set

from .saml_idp import SamlIdP
from .test_saml import HOST, _saml_provider, _sign_in, _signed_in_as


@pytest.fixture
def agency_b_saml(cast: Any) -> dict[str, Any]:
    idp = SamlIdP(entity_id="https://idp.partner-b.example/saml")
    return {"idp": idp, "provider": _saml_provider(cast.partner_b, idp, "partner-b.example")}


@pytest.fixture
def browserless() -> Client:
    return Client(HTTP_HOST=HOST)


def test_a_manager_signed_in_by_sso_without_a_second_factor_is_led_to_enrol(
    cast: Any, agency_b_saml: dict[str, Any], browserless: Client
) -> None:
    mfa_policy_set(roles=["manager"], by=cast.admin)
    _sign_in(browserless, agency_b_saml["provider"], agency_b_saml["idp"], cast.manager_b.email)
    assert _signed_in_as(browserless) == cast.manager_b
    response = browserless.get("/partner/dashboard/")
    assert response.status_code == 302 and response.url == "/accounts/2fa/"
    # A person whose role is not required goes on.
    other = Client(HTTP_HOST=HOST)
    _sign_in(other, agency_b_saml["provider"], agency_b_saml["idp"], cast.rep_b1.email)
    assert _signed_in_as(other) == cast.rep_b1
    assert other.get("/").status_code == 200


def test_a_person_with_an_authenticator_signing_in_by_sso_is_asked_for_its_code(
    cast: Any, agency_b_saml: dict[str, Any], browserless: Client
) -> None:
    secret = generate_totp_secret()
    TOTP.activate(cast.manager_b, secret)
    response = _sign_in(browserless, agency_b_saml["provider"], agency_b_saml["idp"], cast.manager_b.email)
    assert response.status_code == 302 and response["Location"].endswith("/accounts/2fa/authenticate/")
    assert _signed_in_as(browserless) is None  # the IdP's word alone does not sign in
    code = format_hotp_value(hotp_value(secret, int(__import__("time").time()) // 30))
    response = browserless.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert _signed_in_as(browserless) == cast.manager_b
    assert Authenticator.objects.filter(user=cast.manager_b, type=Authenticator.Type.TOTP).exists()
