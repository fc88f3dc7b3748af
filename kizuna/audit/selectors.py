"""Reading the audit trail: the entries a viewer may see, searched by person, object and date."""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

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
