"""The principal admin's provisioning-token page: a token made there is shown once, works, and can be revoked."""

from typing import Any

from django.test import Client

from kizuna.audit.models import Action, AuditEntry
from kizuna.scim.models import ScimToken


def _make(client: Client, cast: Any, name: str = "Entra ID") -> Any:
    return client.post("/settings/scim/", {"partner": cast.partner_a.pk, "name": name})


def test_the_admin_makes_a_token_that_is_shown_once_and_provisions_its_agency(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    response = _make(client, cast)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = response.context["raw"]
    assert raw.startswith("kzscim_") and raw in response.content.decode()
    assert raw not in client.get("/settings/scim/").content.decode()  # never again
    token = ScimToken.objects.get()
    assert (token.organization, token.name) == (cast.partner_a, "Entra ID")
    scim = Client().get("/scim/v2/Users", headers={"authorization": f"Bearer {raw}"})
    assert scim.status_code == 200 and b"rep1@partner-a.example" in scim.content
    assert AuditEntry.objects.filter(action=Action.SCIM_TOKEN_CREATE, actor=cast.admin).count() == 1


def test_a_revoked_token_no_longer_provisions(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    raw = _make(client, cast).context["raw"]
    token = ScimToken.objects.get()
    response = client.post(f"/settings/scim/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/scim/v2/Users", headers={"authorization": f"Bearer {raw}"}).status_code == 401
    client.post(f"/settings/scim/{token.pk}/revoke/")  # twice: one entry
    assert AuditEntry.objects.filter(action=Action.SCIM_TOKEN_REVOKE, actor=cast.admin).count() == 1


def test_a_token_needs_a_partner_and_a_name(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    response = client.post("/settings/scim/", {"partner": cast.principal.pk, "name": ""})
    assert response.status_code == 200 and response.context["raw"] is None
    assert response.context["form"].errors.keys() == {"partner", "name"}
    assert not ScimToken.objects.exists()


def test_only_the_principal_admin_reaches_the_token_page(cast: Any, signed_in: Any) -> None:
    for person in (cast.manager_a, cast.rep_a1, cast.author, cast.coach, cast.manager_b):
        assert signed_in(person).get("/settings/scim/").status_code == 404
