"""Writes of the support desk: asking (with the page and an optional screenshot), answering, assigning, closing."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.media.photos import PhotoError, photo_clean, photo_remove, photo_write
from kizuna.notifications.services import notification_send
from kizuna.ops.errors import ApplicationError
from kizuna.ops.trail import Action, audit_edit, audit_record
from kizuna.orgs.access import Role, membership_of

from .help import search_words
from .models import GuidedStart, HelpPage, Ticket, TicketMessage
from .selectors import TICKET_SUBJECT, operations_team

if TYPE_CHECKING:
    from kizuna.accounts.models import User

Status = Ticket.Status
SUBJECT_MAX = 200
BODY_MAX = 5000
PAGE_URL_MAX = 500
SCREENSHOT_MAX_MB = 5


class SupportError(ApplicationError):
    """A support request that cannot be taken as it is; the message says what to change."""


def page_url_clean(url: str) -> str:
    """Keep the page a question was asked from when it is a path of this site; anything else is dropped."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url or len(url) > PAGE_URL_MAX:
        return ""
    return url


def _text(value: str, *, field: str, empty: str, limit: int, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        raise SupportError(empty, field=field)
    if len(value) > limit:
        raise SupportError(too_long % {"max": limit}, field=field)
    return value


def _screenshot_store(file: Any) -> str:
    """Check a screenshot by its content (Pillow must read it as a picture), strip it, store it; return its name."""
    if file.size is None or file.size > SCREENSHOT_MAX_MB * 1024 * 1024:
        raise SupportError(
            _("The screenshot is too large (at most %(mb)s MB). Take a smaller one or leave it out.")
            % {"mb": SCREENSHOT_MAX_MB},
            field="screenshot",
        )
    try:
        clean = photo_clean(file)
    except PhotoError:
        raise SupportError(
            _("This file is not a picture we can read. Attach a screenshot as PNG or JPEG."), field="screenshot"
        ) from None
    return photo_write(clean, area="support", filename="screenshot.jpg")


def screenshot_remove(name: str) -> None:
    photo_remove(name)


def _ticket_url(ticket: Ticket) -> str:
    return reverse("support:ticket", kwargs={"ticket_id": ticket.pk})


def ticket_create(
    *,
    asker: "User",
    category: str,
    subject: str,
    body: str,
    page_url: str = "",
    screenshot: Any = None,
    now: datetime | None = None,
) -> Ticket:
    """Take a question from an agency's manager or rep, and tell the operations team."""
    now = now or timezone.now()
    m = membership_of(asker)
    if m is None or m.role not in (Role.MANAGER, Role.REP):
        raise SupportError(_("Only the agencies' managers and reps ask the support desk."))
    if category not in Ticket.Category.values:
        raise SupportError(_("Choose what your question is about."), field="category")
    subject = _text(
        subject,
        field="subject",
        empty=_("Write your question in a few words."),
        limit=SUBJECT_MAX,
        too_long=_("The subject is too long (at most %(max)s characters)."),
    )
    body = _text(
        body,
        field="body",
        empty=_("Describe your question: what you wanted to do and what happened."),
        limit=BODY_MAX,
        too_long=_("The question is too long (at most %(max)s characters)."),
    )
    name = _screenshot_store(screenshot) if screenshot else ""
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                asker=asker,
                partner_id=m.organization_id,
                category=category,
                subject=subject,
                body=body,
                page_url=page_url_clean(page_url),
                screenshot=name,
                created_at=now,
                updated_at=now,
            )
            for member in operations_team():
                notification_send(
                    recipient=member,
                    kind="support.asked",
                    title=gettext_noop("New support question: “%(subject)s”"),
                    body=gettext_noop("From %(name)s (%(partner)s)."),
                    params={"subject": subject, "name": asker.name, "partner": m.organization.name},
                    url=_ticket_url(ticket),
                    subject=(TICKET_SUBJECT, ticket.pk),
                    at=now,
                )
    except BaseException:
        screenshot_remove(name)
        raise
    return ticket


def _is_operations(user: "User") -> bool:
    m = membership_of(user)
    return m is not None and m.is_admin


def _ticket_state(ticket: Ticket) -> dict[str, Any]:
    return {"status": ticket.status, "assignee": ticket.assignee.email if ticket.assignee else None}


def _audit_ticket(ticket: Ticket, edit: str, before: dict[str, Any], by: "User", **extra: Any) -> None:
    """A staff member's handling of a question goes on the trail of the asker's agency (a rep's own is not staff's)."""
    m = membership_of(by)
    if m is None or m.is_rep:
        return
    audit_edit(
        action=Action.TICKET_UPDATE,
        target=ticket,
        edit=edit,
        target_label=ticket.subject,
        before=before,
        after={**_ticket_state(ticket), **extra},
        organization_id=ticket.partner_id,
        actor=by,
    )


@transaction.atomic
def ticket_reply(*, ticket: Ticket, author: "User", body: str, now: datetime | None = None) -> TicketMessage:
    """Add an answer (from the operations team: the asker is notified) or the asker's side's follow-up."""
    now = now or timezone.now()
    body = _text(
        body,
        field="body",
        empty=_("Write your message."),
        limit=BODY_MAX,
        too_long=_("The message is too long (at most %(max)s characters)."),
    )
    from_principal = _is_operations(author)
    before = _ticket_state(ticket)
    message = TicketMessage.objects.create(
        ticket=ticket, author=author, from_principal=from_principal, body=body, created_at=now
    )
    ticket.updated_at = now
    ticket.closed_at = None
    if from_principal:
        ticket.status = Status.ANSWERED
        ticket.first_answered_at = ticket.first_answered_at or now
        ticket.assignee = ticket.assignee or author
        notification_send(
            recipient=ticket.asker,
            kind="support.answered",
            title=gettext_noop("Your question “%(subject)s” was answered"),
            body=gettext_noop("Open it to read the answer, and reply if something is still unclear."),
            params={"subject": ticket.subject},
            url=_ticket_url(ticket),
            subject=(TICKET_SUBJECT, ticket.pk),
            at=now,
        )
    else:
        ticket.status = Status.IN_PROGRESS if ticket.assignee_id else Status.NEW
        recipients = [ticket.assignee] if ticket.assignee else list(operations_team())
        for recipient in recipients:
            notification_send(
                recipient=recipient,
                kind="support.followed_up",
                title=gettext_noop("A follow-up on “%(subject)s”"),
                params={"subject": ticket.subject},
                url=_ticket_url(ticket),
                subject=(TICKET_SUBJECT, ticket.pk),
                at=now,
            )
    ticket.save(update_fields=["status", "first_answered_at", "assignee", "updated_at", "closed_at"])
    if from_principal:
        _audit_ticket(ticket, "ticket.answer", {**before, "answer": None}, author, answer=body)
    return message


def ticket_assign(*, ticket: Ticket, assignee: "User | None", by: "User", now: datetime | None = None) -> Ticket:
    """Give a ticket to one member of the operations team (or take it back into the pool)."""
    if not _is_operations(by):
        raise SupportError(_("Only the principal's operations team assigns questions."))
    if assignee is not None and not _is_operations(assignee):
        raise SupportError(_("Assign the question to a principal admin."), field="assignee")
    before = _ticket_state(ticket)
    with transaction.atomic():
        ticket.assignee = assignee
        if ticket.status == Status.NEW and assignee is not None:
            ticket.status = Status.IN_PROGRESS
        ticket.updated_at = now or timezone.now()
        ticket.save(update_fields=["assignee", "status", "updated_at"])
        _audit_ticket(ticket, "ticket.assign", before, by)
    return ticket


def ticket_close(*, ticket: Ticket, by: "User", now: datetime | None = None) -> Ticket:
    """Close a ticket (its asker's side or the operations team); a later reply opens it again."""
    now = now or timezone.now()
    if ticket.status == Status.CLOSED:
        return ticket
    before = _ticket_state(ticket)
    with transaction.atomic():
        ticket.status = Status.CLOSED
        ticket.closed_at = ticket.updated_at = now
        ticket.save(update_fields=["status", "closed_at", "updated_at"])
        _audit_ticket(ticket, "ticket.close", before, by)
    return ticket


HELP_TITLE_MAX = 200
HELP_BODY_MAX = 20000


@transaction.atomic
def help_page_create(
    *,
    created_by: "User",
    title_ja: str,
    body_ja: str,
    title_en: str = "",
    body_en: str = "",
    roles: list[str],
    from_ticket: Ticket | None = None,
) -> HelpPage:
    """Publish a help page the operations team wrote (from a frequent question, usually) for the chosen roles."""
    if not _is_operations(created_by):
        raise SupportError(_("Only the principal's operations team writes help pages."))
    title_ja = _text(
        title_ja,
        field="title_ja",
        empty=_("Give the page a title."),
        limit=HELP_TITLE_MAX,
        too_long=_("The title is too long (at most %(max)s characters)."),
    )
    body_ja = _text(
        body_ja,
        field="body_ja",
        empty=_("Write the page's text."),
        limit=HELP_BODY_MAX,
        too_long=_("The text is too long (at most %(max)s characters)."),
    )
    title_en, body_en = (title_en or "").strip()[:HELP_TITLE_MAX], (body_en or "").strip()[:HELP_BODY_MAX]
    if bool(title_en) != bool(body_en):
        raise SupportError(_("Give the English version both a title and a text, or leave both empty."), field="body_en")
    roles = [r for r in dict.fromkeys(roles) if r in Role.values]
    if not roles:
        raise SupportError(_("Choose who the page is for."), field="roles")
    search_title, search_body = search_words(title=f"{title_ja} {title_en}", body=f"{body_ja}\n{body_en}")
    page = HelpPage.objects.create(
        slug=f"faq-{uuid.uuid4().hex[:10]}",
        roles=roles,
        title_ja=title_ja,
        body_ja=body_ja,
        title_en=title_en,
        body_en=body_en,
        search_title=search_title,
        search_body=search_body,
        from_ticket=from_ticket,
        created_by=created_by,
    )
    audit_record(
        action=Action.HELP_PAGE_CREATE,
        target=page,
        target_label=title_ja,
        after={
            "title_ja": title_ja,
            "title_en": title_en,
            "roles": roles,
            "from_ticket": getattr(from_ticket, "pk", None),
        },
        actor=created_by,
    )
    return page


def guided_start_finish(*, user: "User", skipped: bool, now: datetime | None = None) -> GuidedStart:
    """Record that the person finished or skipped their guided start (taking it again updates the record)."""
    m = membership_of(user)
    if m is None:
        raise SupportError(_("Only members of an organization have a guided start."))
    start, _created = GuidedStart.objects.update_or_create(
        user=user, defaults={"role": m.role, "skipped": skipped, "finished_at": now or timezone.now()}
    )
    return start
