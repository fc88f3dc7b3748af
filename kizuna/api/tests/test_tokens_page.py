"""The admin's API tokens page: make a token (shown once), revoke it; nobody else may see the page."""

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.api.models import ApiToken
from kizuna.api.services import api_token_create
from kizuna.ops.tokens import token_hash


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_makes_a_token_and_sees_it_once(cast):
    client = _client(cast.admin)
    response = client.post(reverse("tokens:api_tokens"), {"email": cast.rep_a1.email.upper(), "name": "CRM sync"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=cast.rep_a1)
    raw = response.context["raw"]
    assert token.key_hash == token_hash(raw) and token.created_by == cast.admin
    assert raw in response.content.decode()
    assert raw not in client.get(reverse("tokens:api_tokens")).content.decode()
    assert "CRM sync" in client.get(reverse("tokens:api_tokens")).content.decode()


def test_an_unknown_e_mail_is_refused_with_a_message(cast):
    response = _client(cast.admin).post(reverse("tokens:api_tokens"), {"email": "nobody@example.com", "name": "CRM"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not ApiToken.objects.exists()


def test_an_admin_revokes_a_token(cast):
    token, raw = api_token_create(user=cast.rep_a1, name="CRM", created_by=cast.admin)
    response = _client(cast.admin).post(reverse("tokens:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("who", ["author", "coach", "manager_a", "rep_a1", "manager_b"])
def test_everyone_but_admins_gets_404(cast, who):
    token, _raw = api_token_create(user=cast.rep_a1, name="CRM", created_by=cast.admin)
    client = _client(getattr(cast, who))
    assert client.get(reverse("tokens:api_tokens")).status_code == 404
    assert client.post(reverse("tokens:api_tokens"), {"email": cast.rep_a1.email, "name": "x"}).status_code == 404
    assert client.post(reverse("tokens:api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
