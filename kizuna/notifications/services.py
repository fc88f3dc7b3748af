"""Send notifications (in the app, and by e-mail after commit) and mark them read."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kizuna.accounts.services import notify_by_email_set, unread_notifications_add_one, unread_notifications_set

from .models import Notification
from .push_services import push_send

if TYPE_CHECKING:
    from kizuna.accounts.models import User
else:
    User = get_user_model()


def unread_groups_count(user: "User") -> int:
    """Return how many entries the bell counts: unread notifications, those of one kind counting once."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).values("kind").distinct().count()


def _recount(user: "User") -> int:
    count = unread_groups_count(user)
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
    subject: tuple[str, int] | None = None,
    at: datetime | None = None,
) -> Notification | None:
    """Notify a person; return None when a notification with this dedupe key was sent to them already.

    `title` and `body` are English msgids (mark them with gettext_noop) formatted with `params`.
    `subject` (type, id) names what it is about, so the list can say when that changed since
    (kizuna.notifications.subjects); `at` dates it when the event happened earlier than now.
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
                subject_type=subject[0] if subject else "",
                subject_id=subject[1] if subject else None,
                created_at=at or timezone.now(),
            )
            # The bell counts kinds with something unread: a second unread one of a kind joins its group.
            unread_of_kind = Notification.objects.filter(recipient=recipient, kind=kind, read_at__isnull=True)
            if not unread_of_kind.exclude(pk=notification.pk).exists():
                unread_notifications_add_one(user=recipient)
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None
    if email and recipient.notify_by_email:
        from .tasks import email_notification_task

        transaction.on_commit(lambda: email_notification_task.enqueue(notification.pk))
    # Kinds a feature registered for the phone are pushed too, if the person switched them on.
    push_send(recipient=recipient, kind=kind, title=title, body=body, params=params, url=url, tag=dedupe_key or "")
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


def notification_open(*, notification: Notification, with_group: bool = False) -> Notification:
    """Mark one notification read (opening it); with its group, every unread one of its kind too."""
    now = timezone.now()
    unread = Notification.objects.filter(recipient_id=notification.recipient_id, read_at__isnull=True)
    unread = unread.filter(kind=notification.kind) if with_group else unread.filter(pk=notification.pk)
    if unread.update(read_at=now):
        notification.read_at = notification.read_at or now
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


def notifications_prune(*, now: datetime | None = None) -> int:
    """Delete read notifications older than NOTIFICATIONS_KEEP_READ_DAYS and unread ones older than
    NOTIFICATIONS_KEEP_UNREAD_DAYS, and recount the bell of everyone who lost an unread one; return how
    many were deleted. Running it twice deletes nothing more."""
    now = now or timezone.now()
    read_before = now - timedelta(days=settings.NOTIFICATIONS_KEEP_READ_DAYS)
    unread_before = now - timedelta(days=settings.NOTIFICATIONS_KEEP_UNREAD_DAYS)
    old_read = Notification.objects.filter(read_at__isnull=False, created_at__lt=read_before)
    old_unread = Notification.objects.filter(read_at__isnull=True, created_at__lt=unread_before)
    with transaction.atomic():
        affected = set(old_unread.values_list("recipient_id", flat=True).distinct())
        deleted = old_read.delete()[0] + old_unread.delete()[0]
        for user in get_user_model().objects.filter(pk__in=affected):
            _recount(user)
    return deleted
