"""Reads of the support desk: who may see which ticket (an agency only its own), the queue and response times."""

import statistics
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.notifications.subjects import SubjectState
from kizuna.orgs.access import Role, membership_of

from .models import Ticket

if TYPE_CHECKING:
    from kizuna.accounts.models import User

TICKET_SUBJECT = "support.ticket"
Status = Ticket.Status
OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)
RESPONSE_WINDOW_DAYS = 30


def operations_team() -> QuerySet[Any]:
    """Return the principal's operations team, who answer the desk: the active principal admins."""
    return get_user_model().objects.filter(membership__role=Role.ADMIN, is_active=True).order_by("name")


def can_ask(user: Any) -> bool:
    """Whether the person asks the desk (agency people); the principal's staff answer it instead."""
    m = membership_of(user)
    return m is not None and m.role in (Role.MANAGER, Role.REP)


def visible_tickets(user: Any) -> QuerySet[Ticket]:
    """Return the tickets this person may see: all for an admin, their agency's for a manager, their own for a rep."""
    m = membership_of(user)
    if m is None:
        return Ticket.objects.none()
    if m.role == Role.ADMIN:
        return Ticket.objects.all()
    if m.role == Role.MANAGER:
        return Ticket.objects.filter(partner_id=m.organization_id)
    if m.role == Role.REP:
        return Ticket.objects.filter(asker_id=m.user_id)
    return Ticket.objects.none()


def access_ticket_for_user(user: Any, ticket_id: int) -> Ticket:
    try:
        return visible_tickets(user).select_related("asker", "partner", "assignee").get(pk=ticket_id)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def tickets_for(user: Any) -> QuerySet[Ticket]:
    """Return the person's list: open ones first, newest first."""
    return visible_tickets(user).select_related("asker", "assignee").order_by("closed_at", "-updated_at", "-pk")


def queue(*, status: str = "", assignee_id: int | None = None, unassigned: bool = False) -> QuerySet[Ticket]:
    """Return the desk's queue, oldest waiting first when open; filtered by status and assignee."""
    tickets = Ticket.objects.select_related("asker", "partner", "assignee")
    if status == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        tickets = tickets.filter(status=status)
    if unassigned:
        tickets = tickets.filter(assignee__isnull=True)
    elif assignee_id:
        tickets = tickets.filter(assignee_id=assignee_id)
    if status == "open":
        return tickets.order_by("created_at", "pk")
    return tickets.order_by("-updated_at", "-pk")


def response_time(ticket: Ticket, now: datetime | None = None) -> timedelta:
    """How long the asker waited for the first answer (still waiting: until now)."""
    end = ticket.first_answered_at or (now or timezone.now())
    return max(end - ticket.created_at, timedelta(0))


@dataclass(frozen=True)
class DeskSummary:
    open: int
    unassigned: int
    median_first_response: timedelta | None  # over the tickets answered in the last RESPONSE_WINDOW_DAYS
    answered_recently: int


def desk_summary(now: datetime | None = None) -> DeskSummary:
    now = now or timezone.now()
    open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES)
    answered = list(
        Ticket.objects.filter(first_answered_at__gte=now - timedelta(days=RESPONSE_WINDOW_DAYS)).values_list(
            "created_at", "first_answered_at"
        )
    )
    waits = [(answered_at - created).total_seconds() for created, answered_at in answered if answered_at is not None]
    return DeskSummary(
        open=open_tickets.count(),
        unassigned=open_tickets.filter(assignee__isnull=True).count(),
        median_first_response=timedelta(seconds=statistics.median(waits)) if waits else None,
        answered_recently=len(waits),
    )


def ticket_states(user: "User", ticket_ids: Collection[int]) -> dict[int, SubjectState]:
    """Return what became of these tickets (for the notification list): answered again, or closed."""
    states = {}
    for ticket in visible_tickets(user).filter(pk__in=list(ticket_ids)):
        label = _("Now: %(status)s") % {"status": Status(ticket.status).label}
        states[ticket.pk] = SubjectState(label=label, changed_at=ticket.updated_at)
    return states


def duration_label(value: timedelta | None) -> str:
    """A wait in words, as the queue shows it (minutes, then hours, then days)."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return _("%(minutes)d min") % {"minutes": minutes}
    if minutes < 48 * 60:
        return _("%(hours)d h %(minutes)d min") % {"hours": minutes // 60, "minutes": minutes % 60}
    return _("%(days)d days") % {"days": minutes // (24 * 60)}
