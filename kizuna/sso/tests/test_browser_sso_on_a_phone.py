"""On a phone, people sign in through their own agency's OpenID Connect provider (a real one, on loopback),
and an identity from another agency's provider is refused."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kizuna.sso.services import identity_provider_save

User = get_user_model()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _provider(cast: Any, partner: Any, domain: str, client_id: str) -> Any:
    return identity_provider_save(
        provider=None,
        organization=partner,
        name=f"IdP of {partner.slug}",
        discovery_url="http://127.0.0.1:9/",  # replaced once the provider runs
        client_id=client_id,
        client_secret=f"{client_id}-secret",
        email_domains=domain,
        sso_required=False,
        role_claim="roles",
        team_claim="team",
    )


def _world(cast: Any, live_server: Any, oidc_provider: Any) -> dict[str, Any]:
    provider_a = _provider(cast, cast.partner_a, "partner-a.example", "kizuna-a")
    provider_b = _provider(cast, cast.partner_b, "partner-b.example", "kizuna-b")
    clients = [
        {
            "client_id": p.app.client_id,
            "client_secret": p.app.secret,
            "redirect_uris": [f"{live_server.url}/accounts/oidc/{p.app.provider_id}/login/callback/"],
        }
        for p in (provider_a, provider_b)
    ]
    accounts = {
        "newrep": {
            "email": "new.rep@partner-a.example",
            "email_verified": True,
            "name": "新人 三郎",
            "roles": ["rep"],
            "team": cast.team_a1.name,
        },
        "manager": {"email": cast.manager_a.email, "email_verified": True, "name": "管理 A子"},
        # An account at B's provider that claims an address of agency A.
        "intruder": {"email": cast.rep_a1.email, "email_verified": True, "name": "なりすまし"},
    }
    issuer = oidc_provider(clients=clients, accounts=accounts)
    for provider in (provider_a, provider_b):
        provider.app.settings = {**provider.app.settings, "server_url": issuer}
        provider.app.save()
    return {"a": provider_a, "b": provider_b, "issuer": issuer}


def _sign_in_through_provider(page: Any, live_server: Any, email: str, login: str) -> None:
    # Three servers take part (Kizuna, the provider, the browser) on a shared machine: allow them time.
    page.set_default_timeout(60000)
    page.set_default_navigation_timeout(60000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=email]", email)
    page.locator("form.sso-start button[type=submit]").click()
    page.wait_for_url("http://127.0.0.1:*/**")  # at the provider's own sign-in screen
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any")
    page.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    while page.url.startswith("http://127.0.0.1:") and page.locator("button[type=submit]").count():
        page.locator("button[type=submit]").first.click()  # the provider's consent
        page.wait_for_load_state()


def test_a_new_rep_signs_in_through_their_agencys_provider_and_lands_in_their_agency_and_team(
    cast: Any, live_server: Any, oidc_provider: Any, phone: Any
) -> None:
    _world(cast, live_server, oidc_provider)
    _sign_in_through_provider(phone, live_server, "new.rep@partner-a.example", "newrep")
    assert phone.url.startswith(live_server.url) and "/accounts/" not in phone.url, phone.url
    person = User.objects.get(email="new.rep@partner-a.example")
    assert (person.membership.organization, person.membership.role, person.membership.team) == (
        cast.partner_a,
        "rep",
        cast.team_a1,
    )
    assert person.name == "新人 三郎"
    assert phone.locator("nav").count()  # signed in: the app's navigation shows


def test_an_existing_manager_is_linked_by_their_verified_address(
    cast: Any, live_server: Any, oidc_provider: Any, phone: Any
) -> None:
    _world(cast, live_server, oidc_provider)
    _sign_in_through_provider(phone, live_server, cast.manager_a.email, "manager")
    assert "/partner/dashboard/" in phone.url or phone.url.rstrip("/") == live_server.url, phone.url
    assert cast.manager_a.socialaccount_set.count() == 1


def test_an_identity_of_agency_a_from_agency_bs_provider_is_refused(
    cast: Any, live_server: Any, oidc_provider: Any, phone: Any
) -> None:
    _world(cast, live_server, oidc_provider)
    _sign_in_through_provider(phone, live_server, "someone@partner-b.example", "intruder")
    assert phone.locator("[role=alert]").count() == 1
    assert "組織" in phone.locator("[role=alert]").inner_text()
    assert not cast.rep_a1.socialaccount_set.exists()
    phone.goto(f"{live_server.url}/me/")
    assert "/accounts/login/" in phone.url  # not signed in
