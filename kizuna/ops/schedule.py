"""The recurring jobs, enqueued on the task queue by the scheduler (APScheduler) at fixed times.

Several schedulers may run (one per server, spares): each job's run at a given time is claimed in the database
first (`ScheduleTick`, unique on job and time), and only the scheduler whose claim succeeds enqueues it. So a
job runs once per time across all servers, and any scheduler left running keeps every job going.
"""

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.executors.base import run_job
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job as SchedulerJob
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from .models import ScheduleTick

logger = logging.getLogger("kizuna.scheduler")

TICKS_KEPT = timedelta(days=7)


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


def schedule_tick_claim(*, job_id: str, run_at: datetime) -> bool:
    """Claim a job's run at its scheduled time for this scheduler; False if another scheduler has it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            ScheduleTick.objects.create(
                job_id=job_id, run_at=run_at, claimed_by=f"{socket.gethostname()}:{os.getpid()}"[:255], claimed_at=now
            )
    except IntegrityError:
        return False
    ScheduleTick.objects.filter(job_id=job_id, run_at__lt=now - TICKS_KEPT).delete()
    return True


def _run_claimed(job: SchedulerJob, jobstore_alias: str, run_times: list[datetime], logger_name: str) -> list[Any]:
    close_old_connections()
    try:
        claimed = [run_at for run_at in run_times if schedule_tick_claim(job_id=job.id, run_at=run_at)]
    except Exception:
        logger.exception("could not claim %s at %s; skipped", job.id, run_times)
        claimed = []
    finally:
        close_old_connections()
    if len(claimed) < len(run_times):
        logger.info("%s at %s: run by another scheduler", job.id, sorted(set(run_times) - set(claimed)))
    return run_job(job, jobstore_alias, claimed, logger_name) if claimed else []


class ClaimingExecutor(ThreadPoolExecutor):
    """APScheduler's thread pool, running a job's due times only once this scheduler has claimed them."""

    def _do_submit_job(self, job: SchedulerJob, run_times: list[datetime]) -> None:
        def done(future: Any) -> None:
            error = future.exception()
            if error is not None:
                self._run_job_error(job.id, error, error.__traceback__)
            else:
                self._run_job_success(job.id, future.result())

        self._pool.submit(_run_claimed, job, job._jobstore_alias, run_times, self._logger.name).add_done_callback(done)


def build_scheduler(scheduler_class: type[BaseScheduler] = BackgroundScheduler) -> BaseScheduler:
    scheduler = scheduler_class(timezone=settings.TIME_ZONE, executors={"default": ClaimingExecutor(max_workers=4)})
    for job in registered_jobs():
        scheduler.add_job(
            job.enqueue,
            CronTrigger(**{"timezone": settings.TIME_ZONE, **job.cron}),
            id=job.id,
            coalesce=True,
            misfire_grace_time=3600,
        )
    return scheduler
