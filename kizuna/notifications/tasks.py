"""Background work of notifications: the e-mail copy, and pruning old ones every night."""

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
