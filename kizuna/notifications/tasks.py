"""Background work of notifications: the e-mail copy."""

from django_tasks import task

from .models import Notification
from .services import notification_email


@task()
def email_notification_task(notification_id: int) -> bool:
    """E-mail one notification (once, even when the task runs twice)."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    return notification is not None and notification_email(notification=notification)
