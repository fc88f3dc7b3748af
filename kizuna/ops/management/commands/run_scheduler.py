"""Run the scheduler that enqueues the recurring jobs, in the foreground (a child of `manage.py serve`)."""

import logging
import signal
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from django.core.management.base import BaseCommand

from kizuna.ops.schedule import build_scheduler

logger = logging.getLogger("kizuna.scheduler")


class Command(BaseCommand):
    help = "Enqueue the recurring jobs at their times until stopped (SIGTERM or Ctrl-C)."

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("apscheduler.scheduler").setLevel(logging.WARNING)  # one line per job otherwise
        scheduler = build_scheduler(BlockingScheduler)

        def stop(*_args: Any) -> None:
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info("scheduler started: %s", ", ".join(job.id for job in scheduler.get_jobs()) or "no jobs")
        scheduler.start()
