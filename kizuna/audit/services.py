"""Writing the audit trail: the writer behind `kizuna.ops.trail.audit_record` (which every app calls), and the
trail's own records (exports, signing out everywhere)."""

import datetime
import decimal
import uuid
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from kizuna.ops.trail import Action, Change, audit_record

from .middleware import client_ip, current_request
from .models import AuditEntry

__all__ = ["audit_export", "sessions_end_record", "trail_write", "trail_write_many"]

LABEL_MAX_LENGTH = 255


def _plain(value: Any) -> Any:
    """Return a value as JSON can hold it: model rows by id, dates in ISO 8601, sets as sorted lists."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.TextChoices):
        return value.value
    return value


def _client_ip() -> str | None:
    request = current_request.get()
    return client_ip(request) if request is not None else None


def _request_user() -> Any:
    request = current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def trail_write(
    *,
    action: Action,
    target: models.Model | None,
    target_label: str,
    organization_id: int | None,
    before: dict[str, Any],
    after: dict[str, Any],
    actor: Any,
) -> AuditEntry:
    """Write one entry (see `kizuna.ops.trail.audit_record`); the actor defaults to whoever is signed in."""
    if actor is None:
        actor = _request_user()
    label = target_label or (str(target) if target is not None else "")
    return AuditEntry.objects.create(
        actor=actor,
        ip=_client_ip(),
        organization_id=organization_id,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=label[:LABEL_MAX_LENGTH],
        before=_plain(before),
        after=_plain(after),
    )


def trail_write_many(*, action: Action, changes: list[Change], actor: Any) -> None:
    """Write one entry per change in a few inserts (see `kizuna.ops.trail.audit_record_many`)."""
    if actor is None:
        actor = _request_user()
    ip = _client_ip()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                ip=ip,
                organization_id=change.organization_id,
                action=action,
                target_type=change.target._meta.label_lower,
                target_id=str(change.target.pk),
                target_label=(change.target_label or str(change.target))[:LABEL_MAX_LENGTH],
                after=_plain(change.after),
            )
            for change in changes
        ],
        batch_size=500,
    )


def audit_export(*, filename: str, organization_id: int | None, rows: int | None = None) -> Any:
    """Record that the signed-in person downloaded a report of people's data (which file, whose data)."""
    after: dict[str, Any] = {"file": filename}
    if rows is not None:
        after["rows"] = rows
    return audit_record(action=Action.DATA_EXPORT, target_label=filename, organization_id=organization_id, after=after)


def sessions_end_record(user: Any) -> Any:
    """Record that the person ended all their sessions (and the credentials that go with them)."""
    try:
        organization_id = user.membership.organization_id
    except ObjectDoesNotExist:
        organization_id = None
    return audit_record(
        action=Action.SESSIONS_END, actor=user, target=user, target_label=user.email, organization_id=organization_id
    )


# allauth's signals about a person's own credentials, and what each is recorded as.
CREDENTIAL_ACTIONS = {
    "authenticator_added": Action.SECOND_FACTOR_ADD,
    "authenticator_removed": Action.SECOND_FACTOR_REMOVE,
    "authenticator_reset": Action.RECOVERY_CODES_RENEW,
    "password_changed": Action.PASSWORD_CHANGE,
    "password_set": Action.PASSWORD_CHANGE,
    "password_reset": Action.PASSWORD_CHANGE,
}


def credential_change_record(*, signal_name: str, user: Any, authenticator: Any = None) -> Any:
    """Record that a person's password or second factor changed: which kind, never the secret itself."""
    try:
        organization_id = user.membership.organization_id
    except ObjectDoesNotExist:
        organization_id = None
    after: dict[str, Any] = {"how": signal_name.split("_", 1)[1]} if signal_name.startswith("password_") else {}
    if authenticator is not None:
        after["type"] = authenticator.type
    return audit_record(
        action=CREDENTIAL_ACTIONS[signal_name],
        actor=user,
        target=user,
        target_label=user.email,
        organization_id=organization_id,
        after=after,
    )
