"""Who may call the API: integration tokens and the signed-in browser (with CSRF); everyone else gets 401."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from kizuna.api.models import ApiToken
from kizuna.api.services import api_token_create, api_token_revoke
from kizuna.ops.tokens import token_hash
from kizuna.records.models import Statement

from .conftest import assert_problem, first_lesson, statement

CSRF = "k" * 32  # an unmasked CSRF secret, as the csrftoken cookie holds


def test_a_token_authenticates_as_its_person(cast, api_as):
    response = api_as(cast.rep_a1).get("/me")
    assert response.status_code == 200
    assert response.json()["email"] == cast.rep_a1.email


def test_only_the_hash_of_a_token_is_stored(cast):
    token, raw = api_token_create(user=cast.rep_a1, name="CRM", created_by=cast.admin)
    assert raw.startswith("kz_")
    assert token.key_hash == token_hash(raw) and raw not in (token.key_hash, token.prefix)
    assert not ApiToken.objects.filter(key_hash=raw).exists()


def test_it_refuses_a_wrong_token_with_a_401_problem(cast):
    client = Client(HTTP_AUTHORIZATION="Bearer kz_not-a-real-token")
    body = assert_problem(client.get("/api/v1/me"), 401)
    assert body["type"].endswith("/not-authenticated")


def test_it_refuses_a_revoked_token(cast):
    token, raw = api_token_create(user=cast.rep_a1, name="CRM", created_by=cast.admin)
    api_token_revoke(token=token)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_the_token_of_a_deactivated_person(cast):
    _token, raw = api_token_create(user=cast.rep_a1, name="CRM", created_by=cast.admin)
    cast.rep_a1.is_active = False
    cast.rep_a1.save()
    assert_problem(Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me"), 401)


def test_anonymous_callers_get_a_401_problem(db):
    assert_problem(Client().get("/api/v1/courses"), 401)
    assert_problem(Client().post("/api/v1/lessons/1/statements", {}, content_type="application/json"), 401)


def test_last_used_is_written_at_most_once_a_minute(cast):
    token, raw = api_token_create(user=cast.rep_a1, name="CRM", created_by=cast.admin)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get("/api/v1/me")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1) and token.last_used_at <= timezone.now()


def test_the_signed_in_browser_may_read(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.rep_a1)
    assert client.get("/api/v1/me").json()["id"] == cast.rep_a1.pk


def test_the_browser_must_send_the_csrf_token_to_post(cast, article_course):
    lesson = first_lesson(article_course)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.rep_a1)
    client.cookies["csrftoken"] = CSRF
    url = f"/api/v1/lessons/{lesson.pk}/statements"
    refused = client.post(url, statement("launched"), content_type="application/json")
    body = assert_problem(refused, 403)
    assert body["type"].endswith("/csrf-failed")
    assert not Statement.objects.filter(actor=cast.rep_a1, lesson=lesson).exists()
    accepted = client.post(url, statement("launched"), content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)
    assert accepted.status_code == 200, accepted.content
    assert Statement.objects.filter(actor=cast.rep_a1, lesson=lesson).count() == 1


def test_a_token_needs_no_csrf_token_to_post(cast, article_course, api_as):
    lesson = first_lesson(article_course)
    response = api_as(cast.rep_a1).post(f"/lessons/{lesson.pk}/statements", statement("launched"))
    assert response.status_code == 200, response.content
