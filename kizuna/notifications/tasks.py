"""Background work of notifications: the e-mail copy, and pruning old ones every night."""

from typing import Any

from django_tasks import task

from .models import Notification
from .services import notification_email, notifications_prune


@task()
def email_notification_task(notification_id: int) -> bool:
    """E-mail one notification (once, even when the task runs twice)."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    return notification is not None and notification_email(notification=notification)


@task()
def prune_notifications_task() -> int:
    """Delete the notifications past their retention (idempotent)."""
    return notifications_prune()


def enqueue_prune() -> None:
    prune_notifications_task.enqueue()


@task()
def push_task(recipient_id: int, message: dict[str, Any]) -> str:
    """Push one message to a person's phones (held until their quiet hours end; see push_deliver)."""
    from django.contrib.auth import get_user_model

    from .push_services import push_deliver

    recipient = get_user_model().objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return "none"
    return push_deliver(recipient=recipient, message=message)
