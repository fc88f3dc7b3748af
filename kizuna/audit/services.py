"""Writing the audit trail: `audit_record` (`audit_record_many` for a batch), called by the services that change things."""

import datetime
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from .middleware import client_ip, current_request
from .models import Action, AuditEntry

__all__ = ["Action", "Change", "audit_export", "audit_record", "audit_record_many", "changed_fields"]

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


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return only the keys whose value differs, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)] + [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def audit_record(
    *,
    action: Action | str,
    target: models.Model | None = None,
    target_label: str = "",
    organization_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Any = None,
) -> AuditEntry:
    """Append one entry to the trail; the actor defaults to whoever is signed in for this request.

    ``organization_id`` is the organization the change belongs to (an agency's manager sees its
    trail); None for changes to what the principal shares with everyone (content, settings).
    Call it inside the service's transaction, so that a change rolled back leaves no entry.
    """
    if actor is None:
        actor = _request_user()
    label = target_label or (str(target) if target is not None else "")
    return AuditEntry.objects.create(
        actor=actor,
        ip=_client_ip(),
        organization_id=organization_id,
        action=Action(action),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=label[:LABEL_MAX_LENGTH],
        before=_plain(before or {}),
        after=_plain(after or {}),
    )


@dataclass(frozen=True)
class Change:
    """One change among many made at once (``audit_record_many``)."""

    target: models.Model
    organization_id: int | None
    after: dict[str, Any]
    target_label: str = ""


def audit_record_many(*, action: Action | str, changes: list[Change], actor: Any = None) -> None:
    """Append one entry per change in a few inserts: an import of 1,000 people must not hold the lock longer."""
    if actor is None:
        actor = _request_user()
    ip = _client_ip()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                ip=ip,
                organization_id=change.organization_id,
                action=Action(action),
                target_type=change.target._meta.label_lower,
                target_id=str(change.target.pk),
                target_label=(change.target_label or str(change.target))[:LABEL_MAX_LENGTH],
                after=_plain(change.after),
            )
            for change in changes
        ],
        batch_size=500,
    )


def audit_export(*, filename: str, organization_id: int | None, rows: int | None = None) -> AuditEntry:
    """Record that the signed-in person downloaded a report of people's data (which file, whose data)."""
    after: dict[str, Any] = {"file": filename}
    if rows is not None:
        after["rows"] = rows
    return audit_record(action=Action.DATA_EXPORT, target_label=filename, organization_id=organization_id, after=after)


def sessions_end_record(user: Any) -> AuditEntry:
    """Record that the person ended all their sessions (and the credentials that go with them)."""
    try:
        organization_id = user.membership.organization_id
    except ObjectDoesNotExist:
        organization_id = None
    return audit_record(
        action=Action.SESSIONS_END, actor=user, target=user, target_label=user.email, organization_id=organization_id
    )
