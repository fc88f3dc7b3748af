"""The recurring jobs, enqueued on the task queue by one scheduler (APScheduler) at fixed times."""

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings


def enqueue_reminders() -> None:
    from kizuna.records.tasks import send_reminders_task

    send_reminders_task.enqueue()


def enqueue_flash_update_reminders() -> None:
    from kizuna.updates.tasks import overdue_reminders_task

    overdue_reminders_task.enqueue()


def build_scheduler() -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=settings.TIME_ZONE)
    scheduler.add_job(
        enqueue_reminders,
        CronTrigger(hour=settings.REMINDER_HOUR, minute=0, timezone=settings.TIME_ZONE),
        id="reminders",
        coalesce=True,
        misfire_grace_time=3600,
    )
    scheduler.add_job(
        enqueue_flash_update_reminders,
        CronTrigger(hour=settings.REMINDER_HOUR, minute=5, timezone=settings.TIME_ZONE),
        id="flash_update_reminders",
        coalesce=True,
        misfire_grace_time=3600,
    )
    return scheduler
