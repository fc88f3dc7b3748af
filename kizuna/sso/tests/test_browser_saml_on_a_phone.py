"""On a phone, a person of agency B signs in through B's SAML identity provider (made in the tests, on loopback)
and lands in agency B."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kizuna.sso.services import saml_provider_save

from .saml_idp import SamlIdP, serve_idp

User = get_user_model()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def idp_b(cast: Any) -> Any:
    idp = SamlIdP(entity_id="https://idp.partner-b.example/saml")
    url, server = serve_idp(
        idp,
        email="new.manager@partner-b.example",
        attributes={"role": ["manager"], "team": [cast.team_b1.name], "displayName": ["新任 管理"]},
    )
    idp.sso_url = url
    yield idp
    server.shutdown()


def test_a_person_of_agency_b_signs_in_through_bs_saml_provider_and_lands_in_agency_b(
    cast: Any, live_server: Any, phone: Any, idp_b: Any
) -> None:
    saml_provider_save(
        provider=None,
        organization=cast.partner_b,
        name="Okta of B",
        metadata_xml="",
        entity_id=idp_b.entity_id,
        sso_url=idp_b.sso_url,
        x509cert=idp_b.cert,
        email_domains="partner-b.example",
        sso_required=True,
        role_claim="role",
        team_claim="team",
    )
    phone.set_default_timeout(60000)
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=email]", "new.manager@partner-b.example")
    phone.locator("form.sso-start button[type=submit]").click()
    phone.wait_for_url(f"{idp_b.sso_url}?**")  # at the IdP
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_url(f"{live_server.url}/**")
    phone.wait_for_load_state()
    assert "/accounts/" not in phone.url, phone.content()[-1500:]
    person = User.objects.get(email="new.manager@partner-b.example")
    assert (person.membership.organization, person.membership.role, person.membership.team) == (
        cast.partner_b,
        "manager",
        cast.team_b1,
    )
    assert "/partner/dashboard/" in phone.url
    assert cast.partner_b.name in phone.content()
    assert cast.partner_a.name not in phone.content()
