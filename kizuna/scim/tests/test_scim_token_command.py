"""`manage.py scim_token <partner-code>` prints a token of that agency, stored only as a hash."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kizuna.ops.tokens import token_hash
from kizuna.scim.models import ScimToken

from .conftest import Directory


def test_it_prints_a_token_that_provisions_that_agency(cast: Any) -> None:
    out = StringIO()
    call_command("scim_token", "PARTNER-A", "--name", "Entra ID", stdout=out)
    raw = out.getvalue().strip()
    token = ScimToken.objects.get()
    assert token.organization == cast.partner_a and token.name == "Entra ID"
    assert token.key_hash == token_hash(raw) and raw not in token.key_hash
    assert raw.startswith("kzscim_") and token.prefix == raw[:16]
    names = {r["userName"] for r in Directory(raw).get("/Users").json()["Resources"]}
    assert cast.rep_a1.email in names and cast.rep_b1.email not in names
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_an_unknown_partner_code(cast: Any) -> None:
    with pytest.raises(CommandError, match="nope"):
        call_command("scim_token", "nope", stdout=StringIO())
    assert not ScimToken.objects.exists()


def test_it_refuses_the_principal(cast: Any) -> None:
    with pytest.raises(CommandError):
        call_command("scim_token", cast.principal.slug, stdout=StringIO())


def test_it_revokes_the_agencys_token_by_its_prefix(cast: Any) -> None:
    out = StringIO()
    call_command("scim_token", "partner-a", stdout=out)
    raw = out.getvalue().strip()
    with pytest.raises(CommandError):
        call_command("scim_token", "partner-b", "--revoke", raw[:16], stdout=StringIO())  # not B's token
    assert Directory(raw).get("/Users").status_code == 200
    call_command("scim_token", "partner-a", "--revoke", raw[:16], stdout=StringIO())
    assert Directory(raw).get("/Users").status_code == 401
