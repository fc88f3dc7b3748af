"""Deactivation by the directory ends the person's sessions and API tokens and hands them to the agreement's
retention rule (the daily anonymization of departed reps)."""

from datetime import timedelta
from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from kizuna.agreements.services import departed_reps_anonymize
from kizuna.api.models import ApiToken
from kizuna.api.services import api_token_create

from .conftest import Directory


def _signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    assert client.get("/me/").status_code == 200
    return client


def test_deactivating_signs_the_person_out_everywhere_and_revokes_their_tokens(
    cast: Any, directory_a: Directory
) -> None:
    phone, laptop, someone_else = _signed_in(cast.rep_a1), _signed_in(cast.rep_a1), _signed_in(cast.rep_a2)
    _token, raw = api_token_create(user=cast.rep_a1, name="CRM", created_by=cast.admin)
    response = directory_a.patch(
        f"/Users/{cast.rep_a1.public_id}", [{"op": "replace", "path": "active", "value": False}]
    )
    assert response.status_code == 200
    for client in (phone, laptop):
        assert client.get("/me/").status_code == 302  # back to the sign-in page
    assert not Session.objects.filter(session_key=phone.session.session_key).exists()
    assert someone_else.get("/me/").status_code == 200
    assert ApiToken.objects.get(user=cast.rep_a1).revoked_at is not None
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_a_deleted_rep_is_anonymized_when_the_agreements_retention_runs_out(cast: Any, directory_a: Directory) -> None:
    assert directory_a.delete(f"/Users/{cast.rep_a1.public_id}").status_code == 204
    now = timezone.now()
    assert departed_reps_anonymize(now=now) == 0  # noted as departed today; kept for the retention period
    assert departed_reps_anonymize(now=now + timedelta(days=91)) == 1
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.email.endswith("@anonymized.invalid")


def test_reactivating_before_the_retention_runs_out_keeps_the_person(cast: Any, directory_a: Directory) -> None:
    path = f"/Users/{cast.rep_a1.public_id}"
    directory_a.patch(path, [{"op": "replace", "path": "active", "value": False}])
    departed_reps_anonymize(now=timezone.now())
    directory_a.patch(path, [{"op": "replace", "path": "active", "value": True}])
    assert departed_reps_anonymize(now=timezone.now() + timedelta(days=400)) == 0
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.is_active and cast.rep_a1.email == "rep1@partner-a.example"
