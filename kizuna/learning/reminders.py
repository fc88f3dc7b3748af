"""Reminder e-mails for required courses: a few days before the due date, and once when overdue."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from kizuna.catalog.models import ReminderSent
from kizuna.catalog.services import reminder_claim
from kizuna.notifications.push_services import push_send
from kizuna.orgs.selectors import active_rep_memberships

from .selectors import rep_course_cards


def _send(rep: Any, card: Any, kind: str) -> bool:
    """Send one reminder unless it was sent already; return whether it was sent."""
    with transaction.atomic():
        if not reminder_claim(rep=rep, course_id=card.course_id, due_at=card.due_at, kind=kind):
            return False
        with translation.override(rep.language or settings.LANGUAGE_CODE):
            context = {"rep": rep, "card": card, "kind": kind, "site_url": settings.SITE_URL}
            subject = render_to_string("learning/email/reminder_subject.txt", context).strip()
            body = render_to_string("learning/email/reminder.txt", context)
        send_mail(subject, body, None, [rep.email])
        # And on the rep's phone, if they asked for it (pushed after commit, in their language).
        title = gettext_noop("Overdue: %(title)s") if kind == "overdue" else gettext_noop("Due soon: %(title)s")
        push_send(recipient=rep, kind=f"learning.{kind}", title=title, params={"title": card.title}, url=card.href)
    return True


def reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Send every due-soon and overdue reminder that has not gone out yet."""
    now = now or timezone.now()
    soon = now + timedelta(days=settings.REMINDER_DAYS_BEFORE_DUE)
    sent = {"due_soon": 0, "overdue": 0}
    reps = active_rep_memberships().select_related("user", "organization").order_by("pk")
    for membership in reps.iterator(chunk_size=500):
        rep = membership.user
        rep.membership = membership
        for card in rep_course_cards(rep=rep, now=now):
            if not card.required or card.completed or card.due_at is None:
                continue
            if card.due_at < now:
                sent["overdue"] += _send(rep, card, ReminderSent.Kind.OVERDUE)
            elif card.due_at <= soon:
                sent["due_soon"] += _send(rep, card, ReminderSent.Kind.DUE_SOON)
    return sent
