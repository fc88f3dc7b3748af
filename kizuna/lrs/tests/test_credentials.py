"""LRS credentials: made by a command, stored hashed, checked with HTTP Basic; the version header negotiated."""

import base64
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kizuna.lrs.http import XapiError, authenticate, negotiate_version
from kizuna.lrs.models import LrsCredential


def _basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def test_the_command_prints_key_and_secret_on_one_line_and_stores_only_a_hash(cast):
    out = StringIO()
    call_command("lrs_credentials", "Articulate", "--partner", "partner-a", stdout=out)
    line = out.getvalue().strip()
    assert "\n" not in line
    key, secret = line.split(" ")
    credential = LrsCredential.objects.get(key=key)
    assert credential.name == "Articulate" and credential.partner == cast.partner_a and credential.active
    assert secret not in credential.secret_hash
    assert authenticate(_basic(key, secret)) == credential


def test_a_credential_without_partner_acts_for_the_principal(cast):
    out = StringIO()
    call_command("lrs_credentials", "company LRS", stdout=out)
    key, _secret = out.getvalue().split()
    assert LrsCredential.objects.get(key=key).partner is None


def test_the_command_refuses_an_unknown_partner_code_and_makes_nothing(cast):
    with pytest.raises(CommandError, match="nope"):
        call_command("lrs_credentials", "x", "--partner", "nope", stdout=StringIO())
    assert not LrsCredential.objects.exists()


def test_it_refuses_a_wrong_secret_a_deactivated_credential_and_no_credential(cast):
    out = StringIO()
    call_command("lrs_credentials", "tool", stdout=out)
    key, secret = out.getvalue().split()
    for header in (None, "Bearer abc", "Basic !!!", _basic(key, secret + "x"), _basic("kzl_nobody", secret)):
        with pytest.raises(XapiError) as caught:
            authenticate(header)
        assert caught.value.status == 401
    call_command("lrs_credentials", "--deactivate", key, stdout=StringIO())
    assert not LrsCredential.objects.get(key=key).active
    with pytest.raises(XapiError):
        authenticate(_basic(key, secret))
    with pytest.raises(CommandError):
        call_command("lrs_credentials", "--deactivate", "kzl_nobody", stdout=StringIO())


@pytest.mark.parametrize(
    ("asked", "answered"), [("1.0", "1.0.3"), ("1.0.0", "1.0.3"), ("1.0.3", "1.0.3"), ("2.0.0", "2.0.0")]
)
def test_it_negotiates_the_versions_it_speaks(asked, answered):
    assert negotiate_version(asked) == answered


@pytest.mark.parametrize("asked", [None, "", "0.95", "1.1.0", "3.0.0", "1.0.x"])
def test_it_refuses_a_missing_or_unknown_version_with_400(asked):
    with pytest.raises(XapiError) as caught:
        negotiate_version(asked)
    assert caught.value.status == 400


def test_the_about_resource_needs_no_credentials_and_lists_the_versions(db):
    response = Client().get("/xapi/about")
    assert response.status_code == 200
    assert response.json()["version"] == ["2.0.0", "1.0.3"]
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert Client().post("/xapi/about", {}).status_code == 405
