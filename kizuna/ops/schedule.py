"""The recurring jobs, enqueued on the task queue by one scheduler (APScheduler) at fixed times."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings


@dataclass(frozen=True)
class Job:
    """A recurring job an app registers: what to enqueue and when (CronTrigger fields)."""

    id: str
    enqueue: Callable[[], None]
    cron: dict[str, Any]


_JOBS: dict[str, Job] = {}


def register_job(*, id: str, enqueue: Callable[[], None], **cron: Any) -> None:
    """Add an app's recurring job (call from AppConfig.ready()); `cron` takes CronTrigger's fields."""
    _JOBS[id] = Job(id=id, enqueue=enqueue, cron=cron)


def registered_jobs() -> list[Job]:
    """Return the jobs apps registered, in id order."""
    return sorted(_JOBS.values(), key=lambda job: job.id)


def build_scheduler(scheduler_class: type[BaseScheduler] = BackgroundScheduler) -> BaseScheduler:
    scheduler = scheduler_class(timezone=settings.TIME_ZONE)
    for job in registered_jobs():
        scheduler.add_job(
            job.enqueue,
            CronTrigger(**{"timezone": settings.TIME_ZONE, **job.cron}),
            id=job.id,
            coalesce=True,
            misfire_grace_time=3600,
        )
    return scheduler
