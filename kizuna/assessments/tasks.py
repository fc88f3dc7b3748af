"""Background work of the quiz studio: GIFT imports (kizuna.assessments.gift_imports)."""

import logging
from datetime import timedelta

from django.db import OperationalError
from django.utils import timezone
from django_tasks import default_task_backend, task

from kizuna.ops.locks import is_lock_timeout

from .gift_imports import gift_import_run

logger = logging.getLogger(__name__)

BUSY_RETRY_AFTER = timedelta(minutes=1)
BUSY_RETRIES = 10


@task()
def gift_import_task(job_id: int, busy_retries: int = 0) -> None:
    """Run (or resume, after a dead worker) one GIFT import; running it again is harmless.

    If the database stays locked through every retry of a step, the task is enqueued again for a minute
    later (at most BUSY_RETRIES times) and resumes where it stopped; the worker itself carries on.
    """
    try:
        gift_import_run(job_id=job_id)
    except OperationalError as exc:
        if not is_lock_timeout(exc) or busy_retries >= BUSY_RETRIES:
            raise
        if not _can_defer():
            raise
        logger.warning("gift import %s: database busy (%s); trying again in a minute", job_id, exc)
        _enqueue_later(job_id, busy_retries + 1)


def _can_defer() -> bool:
    return bool(getattr(default_task_backend, "supports_defer", False))


def _enqueue_later(job_id: int, busy_retries: int) -> None:
    gift_import_task.using(run_after=timezone.now() + BUSY_RETRY_AFTER).enqueue(job_id, busy_retries)


@task()
def review_due_push_task() -> int:
    """Daily: tell the reps with a phone subscribed how many review questions wait for them today."""
    from .services import review_due_pushes_send

    return review_due_pushes_send()


def enqueue_review_due_pushes() -> None:
    review_due_push_task.enqueue()
