"""On a phone, a person who signed in through their agency's SAML IdP signs out of Kizuna and of the IdP at once
(Single Logout: Kizuna's signed LogoutRequest, the IdP's signed LogoutResponse)."""

from typing import Any

import pytest

from kizuna.sso.services import saml_provider_save

from .saml_idp import SamlIdP, serve_idp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def idp_b(cast: Any) -> Any:
    idp = SamlIdP(entity_id="https://idp.partner-b.example/saml")
    url, server = serve_idp(idp, email=cast.rep_b1.email, attributes={})
    idp.sso_url = url
    yield idp
    server.shutdown()


def test_a_person_signs_out_of_kizuna_and_of_their_agencys_saml_idp(
    cast: Any, live_server: Any, phone: Any, idp_b: Any
) -> None:
    saml_provider_save(
        provider=None,
        organization=cast.partner_b,
        name="Okta of B",
        metadata_xml="",
        entity_id=idp_b.entity_id,
        sso_url=idp_b.sso_url,
        slo_url=idp_b.slo_url,
        x509cert=idp_b.cert,
        email_domains="partner-b.example",
        sso_required=True,
        role_claim="role",
        team_claim="team",
    )
    phone.set_default_timeout(60000)
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=email]", cast.rep_b1.email)
    phone.locator("form.sso-start button[type=submit]").click()
    phone.wait_for_url(f"{idp_b.sso_url}?**")
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_url(f"{live_server.url}/**")
    phone.wait_for_load_state()
    assert "/accounts/" not in phone.url, phone.content()[-1500:]
    phone.goto(f"{live_server.url}/me/")
    phone.get_by_role("button", name="ログアウト", exact=True).click()
    # Kizuna → the IdP's sign-out (LogoutRequest) → back to Kizuna's sign-out service (LogoutResponse) → sign-in.
    phone.wait_for_url(f"{live_server.url}/accounts/login/**")
    phone.wait_for_load_state()
    assert "Okta of B からログアウトしました" in phone.content(), phone.content()[-1500:]
    phone.goto(f"{live_server.url}/me/")
    assert "/accounts/login/" in phone.url
