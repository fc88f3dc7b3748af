"""The sign-in page's "sign in with your organization", SSO required, and the principal admin's provider pages."""

from typing import Any

from kizuna.sso.models import IdentityProvider
from kizuna.sso.services import identity_provider_save


def _provider(cast: Any, *, sso_required: bool) -> Any:
    return identity_provider_save(
        provider=None,
        organization=cast.partner_a,
        name="Okta of A",
        discovery_url="https://partner-a.okta.example",
        client_id="c",
        client_secret="s",
        email_domains="partner-a.example",
        sso_required=sso_required,
        role_claim="roles",
        team_claim="",
    )


def test_the_sign_in_page_offers_signing_in_with_ones_organization(client: Any, cast: Any) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert 'action="/accounts/sso/"' in html


def test_an_address_without_a_provider_is_told_to_use_a_password(client: Any, cast: Any) -> None:
    response = client.post("/accounts/sso/", {"email": "someone@nowhere.example"})
    assert response.status_code == 400
    assert "パスワード" in response.content.decode()


def test_an_unreachable_provider_is_said_plainly(client: Any, cast: Any) -> None:
    provider = _provider(cast, sso_required=False)
    provider.app.settings = {"server_url": "http://127.0.0.1:9/"}
    provider.app.save()
    response = client.post("/accounts/sso/", {"email": "x@partner-a.example"})
    assert response.status_code == 502


def test_when_the_agency_requires_sso_its_people_cannot_use_passwords(client: Any, cast: Any) -> None:
    _provider(cast, sso_required=True)
    response = client.post("/accounts/login/", {"login": cast.rep_a1.email, "password": "kizuna-demo"})
    assert response.status_code == 200
    assert "パスワードは使えません" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another agency's people are not affected.
    response = client.post("/accounts/login/", {"login": cast.rep_b1.email, "password": "kizuna-demo"})
    assert response.status_code == 302


def test_the_principal_admin_adds_a_provider_for_an_agency(client: Any, cast: Any) -> None:
    client.force_login(cast.admin)
    response = client.post(
        "/settings/sso/",
        {
            "organization": cast.partner_b.pk,
            "name": "Entra ID",
            "discovery_url": "https://login.microsoftonline.com/t/v2.0",
            "client_id": "cid",
            "client_secret": "sec",
            "email_domains": "Partner-B.example\n",
            "role_claim": "roles",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    provider = IdentityProvider.objects.get()
    assert (provider.organization, provider.domains, provider.app.secret) == (
        cast.partner_b,
        ["partner-b.example"],
        "sec",
    )
    page = client.get(f"/settings/sso/{provider.pk}/").content.decode()
    assert f"/accounts/oidc/{provider.app.provider_id}/login/callback/" in page
    assert "sec" not in page.replace("secret", "")  # the secret is never shown again


def test_a_bad_domain_is_refused_with_a_message(client: Any, cast: Any) -> None:
    client.force_login(cast.admin)
    response = client.post(
        "/settings/sso/",
        {
            "organization": cast.partner_b.pk,
            "name": "X",
            "discovery_url": "https://x.example",
            "client_id": "c",
            "client_secret": "s",
            "email_domains": "not a domain!",
        },
    )
    assert response.status_code == 200
    assert not IdentityProvider.objects.exists()


def test_only_the_principal_admin_sees_the_provider_pages(client: Any, cast: Any) -> None:
    for person in (cast.manager_a, cast.rep_a1, cast.author):
        client.force_login(person)
        assert client.get("/settings/sso/").status_code == 404


def test_an_invitation_sets_no_password_when_the_agency_requires_sso(client: Any, cast: Any) -> None:
    from kizuna.orgs.services import invitation_link

    _provider(cast, sso_required=True)
    cast.rep_a1.set_unusable_password()
    cast.rep_a1.save()
    link = invitation_link(user=cast.rep_a1).split("testserver", 1)[-1].split("127.0.0.1", 1)[-1]
    path = link[link.index("/accounts/") :]
    response = client.post(path, {"new_password1": "a-long-new-pass-9", "new_password2": "a-long-new-pass-9"})
    assert response.status_code == 302 and response["Location"].endswith("/accounts/login/")
    cast.rep_a1.refresh_from_db()
    assert not cast.rep_a1.has_usable_password()
