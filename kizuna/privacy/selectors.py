"""Reads of the privacy app: a person's exports, what erasing someone would do, departed people, the log."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kizuna.accounts.personal_data import contributions
from kizuna.orgs.access import visible_people

from .labels import PART_LABELS
from .models import DataExport, ErasureRecord

if TYPE_CHECKING:
    from kizuna.accounts.models import User


def part_label(part: Any) -> str:
    """The part's name on screen, in the user's language."""
    return str(PART_LABELS.get(part.name, part.label))


def part_labels() -> list[str]:
    """What a person's export contains, one line per part."""
    return [part_label(p) for c in contributions() for p in c.parts if p.table or p.name == "statements"]


def my_exports(*, user: "User") -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user).order_by("-requested_at")


def access_export_for_user(user: "User", key: Any, now: datetime | None = None) -> DataExport:
    """Return the person's own ready, unexpired export; anyone else's (or none) is a 404."""
    from .services import EXPORT_KEPT

    now = now or timezone.now()
    export = (
        DataExport.objects.filter(
            key=key, user=user, status=DataExport.Status.READY, requested_at__gte=now - EXPORT_KEPT
        )
        .exclude(file="")
        .first()
    )
    if export is None:
        raise Http404
    return export


def erasure_preview(*, person: "User") -> list[dict[str, Any]]:
    """Every kind of data held about the person, with how many rows and what erasure does to them."""
    rows = []
    for contribution in contributions():
        for part in contribution.parts:
            count = part.rows(person).count()
            if count:
                rows.append(
                    {
                        "name": part.name,
                        "label": part_label(part),
                        "count": count,
                        "erasure": part.erasure,
                        "erasure_label": part.erasure.label,
                    }
                )
    return rows


def departed_people(*, viewer: "User", q: str = "") -> QuerySet["User"]:
    """People who have left (deactivated) that this admin may see, matching the search."""
    people = visible_people(viewer).filter(is_active=False).select_related("membership__organization")
    q = q.strip()
    if q:
        people = people.filter(Q(name__icontains=q) | Q(email__icontains=q))
    return people.order_by("name", "pk")


def erasure_log() -> QuerySet[ErasureRecord]:
    return ErasureRecord.objects.select_related("erased_by").order_by("-erased_at", "-pk")
