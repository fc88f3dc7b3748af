"""Background work of flash updates: the e-mails at publication, reminders, and the daily overdue reminders."""

from datetime import date

from django_tasks import task

from .models import FlashUpdate
from .services import overdue_reminders_send, update_mails_send


@task()
def update_mail_task(update_id: int, rep_ids: list[int] | None, kind: str, on: str) -> int:
    """E-mail an update's reps who have not acknowledged it (all of them, or these); never twice per kind and day."""
    update = FlashUpdate.objects.filter(pk=update_id, status=FlashUpdate.Status.PUBLISHED).first()
    if update is None:
        return 0
    return update_mails_send(update=update, kind=kind, on=date.fromisoformat(on), rep_ids=rep_ids)


@task()
def overdue_reminders_task() -> int:
    """Daily: remind, once, the reps who have not acknowledged an update past its acknowledge-by date."""
    return overdue_reminders_send()


def enqueue_overdue_reminders() -> None:
    overdue_reminders_task.enqueue()
