"""manage.py api_token <e-mail>: prints only a working token."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kizuna.api.models import ApiToken


def test_it_prints_a_token_that_works(cast):
    out = StringIO()
    call_command("api_token", cast.manager_a.email, "--name", "CRM", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("kz_") and "\n" not in raw
    token = ApiToken.objects.get(user=cast.manager_a)
    assert token.name == "CRM"
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    assert response.json()["email"] == cast.manager_a.email


def test_it_fails_clearly_for_an_unknown_person(cast):
    with pytest.raises(CommandError, match="nobody@example.com"):
        call_command("api_token", "nobody@example.com", stdout=StringIO())
    assert not ApiToken.objects.exists()
