"""A person's own credentials on the trail: a password changed, a second factor added or removed, recovery codes
renewed. The entry names the kind, never the secret, and belongs to the person's agency (its manager sees it,
another agency's does not)."""

import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from kizuna.audit.models import Action, AuditEntry
from kizuna.audit.selectors import audit_entries
from kizuna.orgs.access import audit_organization_ids

pytestmark = pytest.mark.django_db


def _seen_by(user: Any) -> set[int]:
    scope = audit_organization_ids(user)
    return set() if scope == [] else set(audit_entries(organization_ids=scope).values_list("pk", flat=True))


def _signed_in(client: Any, user: Any) -> Any:
    response = client.post("/accounts/login/", {"login": user.email, "password": "kizuna-demo"})
    assert response.status_code == 302
    return client


def test_a_password_change_is_recorded_without_the_password(cast: Any, client: Any) -> None:
    _signed_in(client, cast.rep_a1)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "kizuna-demo", "password1": "a-new-Passw0rd-17", "password2": "a-new-Passw0rd-17"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.PASSWORD_CHANGE)
    assert (entry.actor, entry.organization_id, entry.after) == (cast.rep_a1, cast.partner_a.pk, {"how": "changed"})
    assert "a-new-Passw0rd-17" not in str(entry.before) + str(entry.after)
    assert entry.pk in _seen_by(cast.manager_a) and entry.pk in _seen_by(cast.admin)
    assert entry.pk not in _seen_by(cast.manager_b)


def test_adding_and_removing_an_authenticator_app_and_renewing_recovery_codes_are_recorded(
    cast: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # allauth sends its signals once the change is committed.
    _signed_in(client, cast.manager_a)
    client.post("/accounts/reauthenticate/", {"password": "kizuna-demo"})  # allauth asks again before a change
    form = client.get("/accounts/2fa/totp/activate/").context["form"]
    code = format_hotp_value(hotp_value(form.secret, int(time.time()) // 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/2fa/totp/activate/", {"code": code}).status_code == 302
    added = AuditEntry.objects.filter(action=Action.SECOND_FACTOR_ADD).order_by("pk")
    assert [(e.actor, e.organization_id, e.after) for e in added] == [
        (cast.manager_a, cast.partner_a.pk, {"type": "totp"}),
        (cast.manager_a, cast.partner_a.pk, {"type": "recovery_codes"}),  # made with it
    ]
    assert form.secret not in str([e.after for e in added])

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/2fa/recovery-codes/generate/", {}).status_code == 302
    renewed = AuditEntry.objects.get(action=Action.RECOVERY_CODES_RENEW)
    assert (renewed.actor, renewed.after) == (cast.manager_a, {"type": "recovery_codes"})

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/2fa/totp/deactivate/", {}).status_code == 302
    removed = AuditEntry.objects.filter(action=Action.SECOND_FACTOR_REMOVE).order_by("pk")
    assert [(e.actor, e.after) for e in removed] == [
        (cast.manager_a, {"type": "totp"}),
        (cast.manager_a, {"type": "recovery_codes"}),  # no longer of use without it
    ]
    ids = {e.pk for e in [*added, renewed, *removed]}
    assert ids <= _seen_by(cast.manager_a) and ids <= _seen_by(cast.admin)
    assert not ids & _seen_by(cast.manager_b)
