"""Where a person arriving from an identity provider lands: only in the provider's organization."""

from typing import Any

import pytest

from kizuna.sso.services import SsoError, identity_provider_save, sso_person_for


def _provider(organization: Any, domains: str, **extra: Any) -> Any:
    return identity_provider_save(
        provider=None,
        organization=organization,
        name=f"IdP {organization.slug}",
        discovery_url="https://idp.example/",
        client_id="c",
        client_secret="s",
        email_domains=domains,
        sso_required=extra.get("sso_required", False),
        role_claim="roles",
        team_claim="team",
    )


def test_a_new_person_is_created_in_the_providers_agency_with_the_mapped_role_and_team(cast: Any) -> None:
    provider = _provider(cast.partner_a, "partner-a.example")
    claims = {
        "email": "Boss@Partner-A.example",
        "email_verified": True,
        "name": "上司 花子",
        "roles": ["Manager"],
        "team": "大阪チーム",
    }
    person = sso_person_for(provider=provider, claims=claims, linked_user=None)
    assert person.email == "boss@partner-a.example"
    assert (person.membership.organization, person.membership.role, person.membership.team) == (
        cast.partner_a,
        "manager",
        cast.team_a2,
    )


def test_an_unknown_role_or_team_makes_a_rep_without_a_team(cast: Any) -> None:
    provider = _provider(cast.partner_a, "partner-a.example")
    person = sso_person_for(
        provider=provider,
        claims={"email": "x@partner-a.example", "roles": "admin", "team": "no such"},
        linked_user=None,
    )
    assert (person.membership.role, person.membership.team) == ("rep", None)


def test_an_address_outside_the_providers_domains_is_refused(cast: Any) -> None:
    provider = _provider(cast.partner_b, "partner-b.example")
    with pytest.raises(SsoError):
        sso_person_for(
            provider=provider, claims={"email": "new@partner-a.example", "email_verified": True}, linked_user=None
        )


def test_another_agencys_person_is_never_linked_even_with_a_shared_domain(cast: Any) -> None:
    provider = _provider(cast.partner_b, "gmail.example")
    cast.rep_a1.email = "rep@gmail.example"
    cast.rep_a1.save()
    with pytest.raises(SsoError):
        sso_person_for(
            provider=provider, claims={"email": "rep@gmail.example", "email_verified": True}, linked_user=None
        )
    with pytest.raises(SsoError):
        sso_person_for(provider=provider, claims={}, linked_user=cast.rep_a1)


def test_an_existing_person_is_linked_only_by_a_verified_address(cast: Any) -> None:
    provider = _provider(cast.partner_a, "partner-a.example")
    with pytest.raises(SsoError, match="verified|確認"):
        sso_person_for(
            provider=provider, claims={"email": cast.rep_a1.email, "email_verified": False}, linked_user=None
        )
    person = sso_person_for(
        provider=provider, claims={"email": cast.rep_a1.email, "email_verified": "true"}, linked_user=None
    )
    assert person == cast.rep_a1


def test_the_principal_gets_nobody_without_a_mapped_role(cast: Any) -> None:
    provider = _provider(cast.principal, "principal.example")
    with pytest.raises(SsoError):
        sso_person_for(
            provider=provider, claims={"email": "new@principal.example", "email_verified": True}, linked_user=None
        )
    person = sso_person_for(
        provider=provider, claims={"email": "new@principal.example", "roles": ["coach"]}, linked_user=None
    )
    assert person.membership.role == "coach"


def test_a_domain_belongs_to_one_provider_only(cast: Any) -> None:
    _provider(cast.partner_a, "partner-a.example")
    with pytest.raises(SsoError, match="partner-a.example"):
        _provider(cast.partner_b, "partner-b.example\npartner-a.example")
