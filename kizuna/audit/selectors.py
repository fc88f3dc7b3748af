"""Reading the audit trail: the entries a viewer may see, searched by person, object and date."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kizuna.orgs.access import audit_organization_ids

from .models import AuditEntry


def audit_entries(
    *,
    organization_ids: Iterable[int] | None,
    person: str = "",
    obj: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Return the trail, newest first; ``organization_ids`` None means every organization's and the principal's.

    ``person`` matches who made the change or the person it was made to (name or e-mail); ``obj``
    matches the object's name, kind or id; ``since``/``until`` are days in the current time zone, both included.
    """
    entries = AuditEntry.objects.select_related("actor", "organization")
    if organization_ids is not None:
        entries = entries.filter(organization_id__in=list(organization_ids))
    if person := person.strip():
        entries = entries.filter(
            Q(actor__email__icontains=person)
            | Q(actor__name__icontains=person)
            | Q(target_type="accounts.user", target_label__icontains=person)
        )
    if obj := obj.strip():
        entries = entries.filter(
            Q(target_label__icontains=obj) | Q(target_type__icontains=obj) | Q(target_id=obj) | Q(action__icontains=obj)
        )
    zone = timezone.get_current_timezone()
    if since is not None:
        entries = entries.filter(created_at__gte=datetime.datetime.combine(since, datetime.time.min, zone))
    if until is not None:
        after = until + datetime.timedelta(days=1)
        entries = entries.filter(created_at__lt=datetime.datetime.combine(after, datetime.time.min, zone))
    return entries


def access_audit_entry_for_user(user: Any, entry_id: int) -> AuditEntry:
    """Return one entry of the trail the user may read (``orgs.access.audit_organization_ids``); else 404."""
    scope = audit_organization_ids(user)
    if scope == []:
        raise Http404
    try:
        return audit_entries(organization_ids=scope).get(pk=entry_id)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
