"""Writes of freshness: setting a review date and linked products, confirming content current, marking a product
changed (which flags what depends on it and tells its authors), and the authors' weekly digest."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.certification.selectors import certifications_for_product
from kizuna.certification.services import certification_reopen
from kizuna.notifications.services import notification_send
from kizuna.ops.errors import ApplicationError
from kizuna.ops.trail import Action, audit_edit
from kizuna.orgs.access import Role
from kizuna.orgs.selectors import principal_staff_with_roles

from . import selectors, sources
from .models import Freshness, ProductChange

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import Product

NOTE_MAX = 2000


class FreshnessError(ApplicationError):
    pass


def _content(viewer: "User", kind: str, object_id: int) -> sources.Item:
    found = sources.item(viewer, kind=kind, object_id=object_id)
    if found is None:
        raise FreshnessError(_("This content does not exist any more."))
    return found


def freshness_set(
    *, user: "User", kind: str, object_id: int, review_by: date | None, products: list["Product"]
) -> Freshness:
    """Store when this content is due for review and which products it depends on."""
    item = _content(user, kind, object_id)
    with transaction.atomic():
        row, _created = Freshness.objects.select_for_update().get_or_create(kind=kind, object_id=object_id)
        before = _state(row)
        row.review_by = review_by
        row.save(update_fields=["review_by"])
        row.products.set(products)
        _audit(row, item, "freshness.set", before, user)
    return row


def _state(row: Freshness) -> dict[str, object]:
    return {
        "review_by": row.review_by.isoformat() if row.review_by else None,
        "products": sorted(p.name for p in row.products.all()) if row.pk else [],
        "flag_reason": row.flag_reason,
        "confirmed_at": row.confirmed_at.isoformat() if row.confirmed_at else None,
    }


def _audit(row: Freshness, item: sources.Item, edit: str, before: dict[str, object], user: "User") -> None:
    """The principal's content: the entry belongs to no agency."""
    audit_edit(
        action=Action.FRESHNESS_EDIT,
        target=row,
        edit=edit,
        target_label=f"{item.where} › {item.title}" if item.where else item.title,
        before=before,
        after=_state(row),
        actor=user,
    )


def freshness_confirm(
    *, user: "User", kind: str, object_id: int, next_review_by: date, now: datetime | None = None
) -> Freshness:
    """Record that an author checked this content and it is still current; clear a product-change flag."""
    now = now or timezone.now()
    item = _content(user, kind, object_id)
    if next_review_by <= timezone.localdate(now):
        raise FreshnessError(_("Choose a next review date after today."), field="next_review_by")
    with transaction.atomic():
        row, _created = Freshness.objects.select_for_update().get_or_create(kind=kind, object_id=object_id)
        before = _state(row)
        row.confirmed_at, row.confirmed_by = now, user
        row.flagged_at, row.flag_reason = None, ""
        row.review_by = next_review_by
        row.save(update_fields=["confirmed_at", "confirmed_by", "flagged_at", "flag_reason", "review_by"])
        _audit(row, item, "freshness.confirm", before, user)
    return row


def _authors_of(items: list[sources.Item]) -> dict[int, list[sources.Item]]:
    """Group content by whom to tell: its maker if they still author, else every author (the admins if none)."""
    staff = {u.pk: u for u in principal_staff_with_roles(Role.ADMIN, Role.AUTHOR).select_related("membership")}
    authors = [pk for pk, u in staff.items() if u.membership.role == Role.AUTHOR] or list(staff)
    grouped: dict[int, list[sources.Item]] = defaultdict(list)
    for item in items:
        for pk in [item.author_id] if item.author_id in staff else authors:
            grouped[pk].append(item)
    return grouped


def product_mark_changed(
    *,
    user: "User",
    product: "Product",
    note: str,
    reopen_certification_ids: list[int] | None = None,
    now: datetime | None = None,
) -> ProductChange:
    """Flag every piece of content linked to this product for review and tell its authors; optionally reopen the
    product's certifications (all their requirements: holders redo them after the change)."""
    now = now or timezone.now()
    note = note.strip()
    if not note:
        raise FreshnessError(_("Say what changed, so that authors know what to check."), field="note")
    if len(note) > NOTE_MAX:
        raise FreshnessError(_("Keep it under %(max)s characters.") % {"max": NOTE_MAX}, field="note")
    chosen = [c for c in certifications_for_product(product.pk) if c.pk in set(reopen_certification_ids or [])]
    if chosen and not selectors.can_reopen_certifications(user):
        raise FreshnessError(_("Only an admin may reopen certifications."))
    with transaction.atomic():
        rows = list(selectors.flagged_for_product(product.pk).select_for_update())
        Freshness.objects.filter(pk__in=[r.pk for r in rows]).update(flagged_at=now, flag_reason=note)
        for certification in chosen:
            certification_reopen(
                certification=certification,
                requirements=list(certification.requirements.all()),
                reason=note,
                reopened_by=user,
                now=now,
            )
        change = ProductChange.objects.create(
            product=product,
            note=note,
            changed_by=user,
            changed_at=now,
            flagged_count=len(rows),
            reopened_count=len(chosen),
        )
        audit_edit(
            action=Action.FRESHNESS_EDIT,
            target=change,
            edit="product.changed",
            target_label=product.name,
            after={
                "note": note,
                "flagged": len(rows),
                "reopened_certifications": sorted(c.name for c in chosen),
            },
            actor=user,
        )
        linked = {(r.kind, r.object_id) for r in rows}
        flagged = [i for i in sources.items(user) if (i.kind, i.object_id) in linked]
        staff = {u.pk: u for u in principal_staff_with_roles(Role.ADMIN, Role.AUTHOR)}
        for author_id, items in _authors_of(flagged).items():
            notification_send(
                recipient=staff[author_id],
                kind="freshness.product_changed",
                title=gettext_noop("%(product)s changed: %(count)s pieces of content to review"),
                body=gettext_noop("What changed: %(note)s"),
                params={"product": product.name, "count": len(items), "note": note},
                url=reverse("freshness:studio") + "?stale=1",
                dedupe_key=f"freshness.product_changed:{change.pk}",
                at=now,
            )
    return change


def freshness_digest_send(*, today: date | None = None) -> int:
    """Send each author their weekly digest of content due for review (once per ISO week); return how many."""
    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    staff = list(principal_staff_with_roles(Role.ADMIN, Role.AUTHOR).select_related("membership"))
    staff_ids = {person.pk for person in staff}
    sent = 0
    for author in staff:
        rows = [
            r for r in selectors.review_list(author, stale_only=True, today=today) if _digest_for(r, author, staff_ids)
        ]
        if not rows:
            continue
        counts = selectors.stale_counts(rows)
        notification = notification_send(
            recipient=author,
            kind="freshness.digest",
            title=gettext_noop("This week's review: %(count)s pieces of content"),
            body=gettext_noop(
                "%(flagged)s after a product change, %(overdue)s overdue, %(soon)s due within two weeks."
            ),
            params={
                "count": len(rows),
                "flagged": counts[selectors.Status.FLAGGED],
                "overdue": counts[selectors.Status.OVERDUE],
                "soon": counts[selectors.Status.DUE_SOON],
            },
            url=reverse("freshness:studio") + "?stale=1",
            dedupe_key=f"freshness.digest:{year}-W{week:02d}",
        )
        sent += notification is not None
    return sent


def _digest_for(row: selectors.Row, author: "User", staff_ids: set[int]) -> bool:
    """An author's digest lists what they made; an admin's also what nobody who still authors made."""
    if row.item.author_id == author.pk:
        return True
    return author.membership.role == Role.ADMIN and row.item.author_id not in staff_ids


def review_date_default(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=selectors.DEFAULT_REVIEW_DAYS)
