"""Send notifications (in the app, and by e-mail after commit) and mark them read."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kizuna.accounts.services import notify_by_email_set, unread_notifications_add_one, unread_notifications_set

from .models import Notification

if TYPE_CHECKING:
    from kizuna.accounts.models import User
else:
    User = get_user_model()


def _recount(user: "User") -> int:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    unread_notifications_set(user=user, count=count)
    return count


def notification_send(
    *,
    recipient: "User",
    kind: str,
    title: str,
    body: str = "",
    params: dict[str, Any] | None = None,
    url: str = "",
    email: bool = True,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Notify a person; return None when a notification with this dedupe key was sent to them already.

    `title` and `body` are English msgids (mark them with gettext_noop) formatted with `params`.
    """
    if not recipient.is_active:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                title=title,
                body=body,
                params=params or {},
                url=url,
                dedupe_key=dedupe_key,
            )
            unread_notifications_add_one(user=recipient)
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None
    if email and recipient.notify_by_email:
        from .tasks import email_notification_task

        transaction.on_commit(lambda: email_notification_task.enqueue(notification.pk))
    return notification


def notification_email(*, notification: Notification) -> bool:
    """E-mail one notification in its recipient's language, once; return whether it was sent."""
    recipient = notification.recipient
    if notification.emailed_at is not None or not recipient.is_active or not recipient.notify_by_email:
        return False
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return False
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {"notification": notification, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = notification.title_text.splitlines()[0][:200]
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(subject, text, None, [recipient.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True


def notification_open(*, notification: Notification) -> Notification:
    """Mark one notification read (opening it)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _recount(notification.recipient)
    return notification


def notifications_read_all(*, user: "User") -> int:
    """Mark every notification of this person read; return how many were unread."""
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    _recount(user)
    return count


def notifications_settle(*, dedupe_key: str) -> int:
    """Mark read every unread notification sent with this key, whoever got it: what it asked for is done."""
    unread = Notification.objects.filter(dedupe_key=dedupe_key, read_at__isnull=True)
    recipients = list(unread.values_list("recipient_id", flat=True).distinct())
    count = unread.update(read_at=timezone.now())
    for user in User.objects.filter(pk__in=recipients):
        _recount(user)
    return count


def notification_email_preference_set(*, user: "User", notify_by_email: bool) -> None:
    """Store whether this person wants notifications by e-mail too."""
    notify_by_email_set(user=user, notify_by_email=notify_by_email)
