"""Partner A's identity provider for the isolation walk (its settings page is the principal admin's only).

allauth's SAML routes (/accounts/saml/<provider>/acs/, metadata/, login/, sls/) are regex routes the walk does
not take: they are protocol endpoints open to anyone; test_saml.py checks agency B reaches nothing of A's there.
"""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.sso.services import identity_provider_save

    provider = identity_provider_save(
        provider=None,
        organization=cast.partner_a,
        name="Entra ID of A",
        discovery_url="https://login.microsoftonline.com/tenant-a/v2.0",
        client_id="a-client",
        client_secret="a-secret",
        email_domains="partner-a.example",
        sso_required=False,
        role_claim="roles",
        team_claim="",
    )
    return {"provider_id": provider.pk}
