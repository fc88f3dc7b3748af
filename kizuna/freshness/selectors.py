"""Reads of freshness: the studio's review list (stale first, with each lesson's performance), the rep's
"last confirmed current" date, and what each author's weekly digest lists."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.assessments.selectors import lesson_average_scores
from kizuna.catalog.selectors import draft_lesson_ids_for_key, products_all
from kizuna.certification.selectors import certifications_for_product
from kizuna.feedback.selectors import lesson_feedback_counts
from kizuna.orgs.access import Role, has_role
from kizuna.plain.selectors import word_questions_per_lesson_key
from kizuna.records.selectors import lesson_completion_by_key

from . import sources
from .models import ContentKind, Freshness, ProductChange
from .sources import Item

# Content whose review date is this close counts as due: listed with the stale, and in the weekly digest.
DUE_SOON_DAYS = 14
# What "confirm current" proposes as the next review date.
DEFAULT_REVIEW_DAYS = 180


class Status:
    FLAGGED = "flagged"  # a linked product changed
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NO_DATE = "no_date"
    CURRENT = "current"
    ORDER = (FLAGGED, OVERDUE, DUE_SOON, NO_DATE, CURRENT)
    LABELS = {
        FLAGGED: _("Product changed"),
        OVERDUE: _("Review overdue"),
        DUE_SOON: _("Review due soon"),
        NO_DATE: _("No review date"),
        CURRENT: _("Current"),
    }
    STALE = (FLAGGED, OVERDUE, DUE_SOON)


def can_review(user: Any) -> bool:
    """Authors and admins keep content fresh."""
    return has_role(user, Role.ADMIN, Role.AUTHOR)


@dataclass(frozen=True)
class Performance:
    started: int
    completed: int
    average_score: float | None  # 0..1, quiz attempts in the lesson
    feedback: int
    did_not_work: int
    words_not_understood: int = 0

    @property
    def completion_percent(self) -> int | None:
        return round(100 * self.completed / self.started) if self.started else None

    @property
    def score_percent(self) -> int | None:
        return None if self.average_score is None else round(100 * self.average_score)


@dataclass(frozen=True)
class Row:
    item: Item
    freshness: Freshness | None
    status: str
    performance: Performance | None = None

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def is_stale(self) -> bool:
        return self.status in Status.STALE


def status_of(freshness: Freshness | None, today: date) -> str:
    if freshness is None:
        return Status.NO_DATE
    if freshness.flagged_at is not None:
        return Status.FLAGGED
    if freshness.review_by is None:
        return Status.NO_DATE
    if freshness.review_by < today:
        return Status.OVERDUE
    if freshness.review_by <= today + timedelta(days=DUE_SOON_DAYS):
        return Status.DUE_SOON
    return Status.CURRENT


def freshness_by_content(kinds: list[str] | None = None) -> dict[tuple[str, int], Freshness]:
    rows = Freshness.objects.select_related("confirmed_by").prefetch_related("products")
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return {(row.kind, row.object_id): row for row in rows}


def freshness_for(kind: str, object_id: int) -> Freshness | None:
    return Freshness.objects.prefetch_related("products").filter(kind=kind, object_id=object_id).first()


def _performance(items: list[Item]) -> dict[Any, Performance]:
    keys = [i.lesson_key for i in items if i.lesson_key is not None]
    if not keys:
        return {}
    completion = lesson_completion_by_key(keys=keys)
    scores = lesson_average_scores(keys=keys)
    feedback = lesson_feedback_counts(keys=keys)
    words = word_questions_per_lesson_key(keys=keys)
    return {
        key: Performance(
            started=completion.get(key, (0, 0))[0],
            completed=completion.get(key, (0, 0))[1],
            average_score=scores.get(key),
            feedback=feedback.get(key, (0, 0))[0],
            did_not_work=feedback.get(key, (0, 0))[1],
            words_not_understood=words.get(key, 0),
        )
        for key in keys
    }


def _sort_key(row: Row) -> tuple[Any, ...]:
    fresh = row.freshness
    flagged = fresh.flagged_at.timestamp() if fresh is not None and fresh.flagged_at else 0.0
    review_by = fresh.review_by if fresh is not None and fresh.review_by else date.max
    # Stale first; among the flagged the latest flag first, among the rest the earliest review date first;
    # then what works worst with customers.
    did_not_work = row.performance.did_not_work if row.performance else 0
    return (Status.ORDER.index(row.status), -flagged, review_by, -did_not_work, row.item.title)


def review_list(viewer: Any, *, kind: str = "", stale_only: bool = False, today: date | None = None) -> list[Row]:
    """Return the content this author or admin keeps fresh, stale first, with each lesson's performance."""
    today = today or timezone.localdate()
    found = sources.items(viewer, kind=kind)
    rows_by_content = freshness_by_content([kind] if kind else None)
    performance = _performance(found)
    rows = []
    for item in found:
        fresh = rows_by_content.get((item.kind, item.object_id))
        status = status_of(fresh, today)
        if stale_only and status not in Status.STALE:
            continue
        perf = performance.get(item.lesson_key) if item.lesson_key is not None else None
        rows.append(Row(item=item, freshness=fresh, status=status, performance=perf))
    return sorted(rows, key=_sort_key)


def review_row(viewer: Any, *, kind: str, object_id: int, today: date | None = None) -> Row | None:
    """Return one piece of content with its freshness and performance, or None if it does not exist."""
    found = sources.item(viewer, kind=kind, object_id=object_id)
    if found is None:
        return None
    fresh = freshness_for(kind, object_id)
    perf = _performance([found]).get(found.lesson_key) if found.lesson_key is not None else None
    return Row(item=found, freshness=fresh, status=status_of(fresh, today or timezone.localdate()), performance=perf)


def stale_counts(rows: list[Row]) -> dict[str, int]:
    counts = {status: 0 for status in Status.ORDER}
    for row in rows:
        counts[row.status] += 1
    return counts


def lesson_confirmed_at(*, lesson_key: Any, published_at: datetime) -> datetime:
    """Return when a published lesson was last confirmed current: an author's confirmation, else its publishing."""
    confirmed = (
        Freshness.objects.filter(kind=ContentKind.LESSON, object_id__in=draft_lesson_ids_for_key(lesson_key))
        .values_list("confirmed_at", flat=True)
        .first()
    )
    return max(confirmed, published_at) if confirmed is not None else published_at


def product_choices() -> QuerySet[Any]:
    return products_all()


def product_changes(product_id: int | None = None) -> QuerySet[ProductChange]:
    changes = ProductChange.objects.select_related("product", "changed_by")
    return changes.filter(product_id=product_id) if product_id is not None else changes


def flagged_for_product(product_id: int) -> QuerySet[Freshness]:
    return Freshness.objects.filter(products__id=product_id)


def can_reopen_certifications(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def access_product_for_reviewer(user: Any, product_id: int) -> Any:
    """Return a product this author or admin may mark changed, or 404."""
    if not can_review(user):
        raise Http404
    try:
        return products_all().get(pk=product_id)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_row_for_reviewer(user: Any, kind: str, object_id: int) -> Row:
    """Return one piece of content with its freshness for an author or admin, or 404."""
    row = review_row(user, kind=kind, object_id=object_id) if can_review(user) else None
    if row is None:
        raise Http404
    return row


def certifications_about(product_id: int) -> list[Any]:
    return list(certifications_for_product(product_id))
