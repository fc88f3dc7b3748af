"""Background work of certifications: the daily expiry and reminders, and webhook deliveries."""

from django.utils import timezone
from django_tasks import task

from .models import WebhookDelivery
from .services import certifications_daily
from .webhooks import webhook_deliveries_due, webhook_delivery_attempt


@task()
def certifications_daily_task() -> dict[str, int]:
    """Daily: expire certifications and remind holders before expiry."""
    return certifications_daily()


@task()
def deliver_webhook_task(delivery_id: int) -> str:
    """Attempt one delivery when it is due (a retry enqueued early, or twice, does nothing extra)."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return "skipped"
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > timezone.now():
        return "not yet"
    return webhook_delivery_attempt(delivery=delivery).status


@task()
def webhook_sweep_task() -> int:
    """Every few minutes: attempt pending deliveries whose retry time has come."""
    return webhook_deliveries_due()


def enqueue_daily() -> None:
    certifications_daily_task.enqueue()


def enqueue_sweep() -> None:
    webhook_sweep_task.enqueue()
