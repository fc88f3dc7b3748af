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


def test_deactivating_by_hand_ends_sessions_and_tokens_exactly_as_the_directory_does(cast: Any) -> None:
    from kizuna.agreements.models import DepartedRep

    phone = _signed_in(cast.rep_a1)
    _token, raw = api_token_create(user=cast.rep_a1, name="CRM", created_by=cast.admin)
    admin = Client()
    admin.force_login(cast.admin)
    before = timezone.now()
    assert admin.post(f"/people/{cast.rep_a1.pk}/active/", {"active": "0"}).status_code == 302
    assert phone.get("/me/").status_code == 302
    assert not Session.objects.filter(session_key=phone.session.session_key).exists()
    assert ApiToken.objects.get(user=cast.rep_a1).revoked_at is not None
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    # The agreement's retention clock starts at the deactivation itself, not at the next nightly run.
    departed = DepartedRep.objects.get(user=cast.rep_a1)
    assert departed.partner_id == cast.partner_a.pk and departed.departed_at >= before
    assert admin.post(f"/people/{cast.rep_a1.pk}/active/", {"active": "1"}).status_code == 302
    assert not DepartedRep.objects.filter(user=cast.rep_a1).exists()  # back: the clock stops
    assert ApiToken.objects.get(user=cast.rep_a1).revoked_at is not None  # tokens do not come back


def test_the_agencys_agreement_decides_how_long_a_deactivated_reps_data_is_kept_and_then_erases_it(
    cast: Any, directory_a: Directory
) -> None:
    from allauth.account.models import EmailAddress

    from kizuna.agreements.services import agreement_version_create
    from kizuna.audit.models import AuditEntry
    from kizuna.scim.models import ScimUser

    agreement_version_create(
        partner=cast.partner_a,
        created_by=cast.admin,
        effective_from=timezone.localdate() - timedelta(days=1),
        min_minutes_per_month=0,
        counts_as_work=False,
        work_cap_minutes_per_month=None,
        evaluation_text="",
        share_rankings=False,
        share_reviews=False,
        share_community=True,
        manager_may_export=True,
        retention_days=30,
        courses=[],
    )
    created = directory_a.post(
        "/Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "hanako@partner-a.example",
            "name": {"familyName": "佐藤", "givenName": "花子"},
            "emails": [{"value": "hanako@partner-a.example", "primary": True}],
            "active": True,
        },
    )
    assert created.status_code == 201
    person = ScimUser.objects.get(user__email="hanako@partner-a.example").user
    assert "花子" in str(person.scim.attributes)  # what the directory said about her is kept while she works here
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    now = timezone.now()
    directory_a.patch(f"/Users/{created.json()['id']}", [{"op": "replace", "path": "active", "value": False}])
    assert departed_reps_anonymize(now=now + timedelta(days=29)) == 0  # within the agreement's 30 days
    assert departed_reps_anonymize(now=now + timedelta(days=31)) == 1
    person.refresh_from_db()
    assert person.email.endswith("@anonymized.invalid") and "花子" not in person.name
    # What the directory said about her and her sign-in address go too, not only the account's name.
    assert not ScimUser.objects.filter(user=person).exists()
    assert not EmailAddress.objects.filter(user=person).exists()
    entry = AuditEntry.objects.filter(action="person.erase").latest("pk")
    assert entry.organization_id == cast.partner_a.pk and entry.after["retention_days"] == 30
    assert "hanako" not in f"{entry.target_label} {entry.after}"
