"""The task queue on Redis (REDIS_URL): django-tasks' RQ backend, with claims in the database so a task runs once.

The code enqueues tasks with the one django-tasks API (`some_task.enqueue(...)`); settings choose this backend
when REDIS_URL is set, and `manage.py rq_worker` runs the workers (several per machine, on several machines).

- A message pushed inside a transaction reaches Redis when the transaction commits (as with the database
  queue, where the task row commits with the data it names), so a worker never looks for rows not yet there.
- A task that raises is tried again after a delay that doubles (TASKS_RETRY_DELAY_SECONDS), up to
  TASKS_MAX_ATTEMPTS runs in all; `task_finished` is sent as FAILED only after the last.
- Before running a message, a worker claims its `TaskRun` row: a message already done, or running on a worker
  that is alive, is skipped, so a message delivered twice does its work once.
- Each worker records a heartbeat row every TASKS_HEARTBEAT_SECONDS and, in the same thread, looks for claims
  whose worker has not beaten for TASKS_STALE_SECONDS (killed, or its machine went away): their message is
  queued again for another worker (or failed, with `WorkerLost`, after its last attempt).
"""

import contextlib
import functools
import logging
import math
import threading
from datetime import timedelta
from typing import Any

import django_rq
from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction
from django.utils import timezone
from django_tasks_rq import RQBackend as BaseRQBackend
from django_tasks_rq.backend import Job as BaseJob
from django_tasks_rq.backend import failed_callback
from rq.exceptions import NoSuchJobError
from rq.job import Callback, Retry
from rq.job_lifecycle import record_job_failure
from rq.registry import StartedJobRegistry
from rq.scheduler import RQScheduler
from rq.worker import SimpleWorker

from . import worker as db_worker
from .models import TaskRun, WorkerHeartbeat

logger = logging.getLogger("kizuna.tasks")

RUNS_KEPT = timedelta(days=7)


# Claims ---------------------------------------------------------------------------------------------


def _alive(worker_id: str) -> bool:
    stale_before = timezone.now() - timedelta(seconds=settings.TASKS_STALE_SECONDS)
    return WorkerHeartbeat.objects.filter(worker_id=worker_id, beat_at__gte=stale_before).exists()


def task_run_claim(*, task_id: str, task_path: str, worker_id: str) -> bool:
    """Claim a message for this worker; False if it is done already or running on another live worker."""
    now = timezone.now()
    with transaction.atomic():
        run, created = TaskRun.objects.select_for_update().get_or_create(
            task_id=task_id,
            defaults={
                "task_path": task_path[:255],
                "status": TaskRun.Status.RUNNING,
                "worker_id": worker_id,
                "attempts": 1,
                "claimed_at": now,
            },
        )
        if created:
            return True
        if run.status in {TaskRun.Status.DONE, TaskRun.Status.FAILED}:
            logger.warning("Task %s delivered again (already %s): skipped", task_id, run.status)
            return False
        if run.status == TaskRun.Status.RUNNING and run.worker_id != worker_id and _alive(run.worker_id):
            logger.warning("Task %s delivered again while worker %s runs it: skipped", task_id, run.worker_id)
            return False
        run.status, run.worker_id, run.claimed_at = TaskRun.Status.RUNNING, worker_id, now
        run.attempts += 1
        run.save(update_fields=["status", "worker_id", "claimed_at", "attempts"])
        return True


def task_run_finish(*, task_id: str, succeeded: bool, last: bool = True) -> None:
    """Record an attempt's end: done, failed for good after its last attempt, or waiting for the next one."""
    if succeeded:
        TaskRun.objects.filter(pk=task_id).update(status=TaskRun.Status.DONE, finished_at=timezone.now())
    elif last:
        TaskRun.objects.filter(pk=task_id).update(status=TaskRun.Status.FAILED, finished_at=timezone.now())
    else:
        TaskRun.objects.filter(pk=task_id, status=TaskRun.Status.RUNNING).update(status=TaskRun.Status.WAITING)


def reap_lost_runs() -> int:
    """Queue again (or fail, after the last attempt) each claimed message whose worker's heartbeat is stale."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.TASKS_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=stale_before).values_list("worker_id", flat=True))
    candidates = TaskRun.objects.filter(status=TaskRun.Status.RUNNING, claimed_at__lt=stale_before)
    reaped = 0
    for task_id in list(candidates.exclude(worker_id__in=alive).values_list("task_id", flat=True)[:100]):
        with transaction.atomic():
            run = candidates.select_for_update().filter(pk=task_id).first()
            if run is None or run.worker_id in alive:
                continue
            last = run.attempts >= settings.TASKS_MAX_ATTEMPTS
            run.status = TaskRun.Status.FAILED if last else TaskRun.Status.WAITING
            run.finished_at = now if last else None
            run.save(update_fields=["status", "finished_at"])
            lost = f"worker {run.worker_id} stopped during attempt {run.attempts} of {settings.TASKS_MAX_ATTEMPTS}"
            transaction.on_commit(functools.partial(_message_lost, task_id, reason=lost, last=last))
        reaped += 1
    TaskRun.objects.filter(finished_at__lt=now - RUNS_KEPT).delete()
    return reaped


def _message_lost(task_id: str, *, reason: str, last: bool) -> None:
    try:
        job = Job.fetch(task_id, connection=django_rq.get_connection())
    except NoSuchJobError:
        logger.error("Task %s lost its worker and its message is gone from Redis: %s", task_id, reason)
        return
    queue = django_rq.get_queue(job.origin, job_class=Job)
    StartedJobRegistry(queue=queue).remove_executions(job)
    if not last:
        queue.enqueue_job(job)
        logger.warning("Task %s lost its worker (%s): queued again", task_id, reason)
        return
    job.meta.setdefault("_django_tasks_rq_exceptions", []).append(
        f"{db_worker.WorkerLost.__module__}.{db_worker.WorkerLost.__qualname__}"
    )
    job.save_meta()
    with queue.connection.pipeline() as pipeline:
        record_job_failure(job, f"{db_worker.WorkerLost.__qualname__}: {reason}", pipeline)
        pipeline.execute()
    job.__dict__.pop("task_result", None)
    failed_callback(job, queue.connection, db_worker.WorkerLost, db_worker.WorkerLost(reason), None)  # type: ignore[arg-type]
    logger.error("Task %s lost its worker on its last attempt (%s): failed", task_id, reason)


# Messages -------------------------------------------------------------------------------------------


def failed_attempt(job: "Job", connection: Any, exception_class: Any, exception_value: Any, traceback: Any) -> None:
    """An attempt raised: tell `task_finished` receivers only when it was the last (no retry left)."""
    if job.retries_left:
        job.meta.setdefault("_django_tasks_rq_exceptions", []).append(
            f"{exception_class.__module__}.{exception_class.__qualname__}"
        )
        job.save_meta()
        return
    failed_callback(job, connection, exception_class, exception_value, traceback)


class Job(BaseJob):
    """django-tasks-rq's job, run only under a claim (see the module's notes)."""

    def _execute(self) -> Any:
        if not task_run_claim(task_id=self.id, task_path=self.func_name or "", worker_id=self.worker_name or "?"):
            return None
        try:
            value = super()._execute()
        except BaseException:
            task_run_finish(task_id=self.id, succeeded=False, last=not self.retries_left)
            raise
        task_run_finish(task_id=self.id, succeeded=True)
        return value


def _retry() -> Retry | None:
    attempts = settings.TASKS_MAX_ATTEMPTS
    if attempts <= 1:
        return None
    delay = settings.TASKS_RETRY_DELAY_SECONDS
    return Retry(max=attempts - 1, interval=[math.ceil(delay * 2**n) for n in range(attempts - 1)])


def _in_transaction() -> bool:
    return transaction.get_connection().in_atomic_block


class Queue(django_rq.queues.DjangoRQ):
    """django-rq's queue with our retries and time limit, pushing messages when the transaction commits."""

    def create_job(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("retry") is None:
            kwargs["retry"] = _retry()
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = settings.TASKS_TIMEOUT_SECONDS
        on_failure = kwargs.get("on_failure")
        if isinstance(on_failure, Callback) and on_failure.func is failed_callback:
            kwargs["on_failure"] = Callback(failed_attempt)
        return super().create_job(*args, **kwargs)

    def enqueue_job(self, job: Any, pipeline: Any = None, at_front: bool = False, unique: bool = False) -> Any:
        if pipeline is None and _in_transaction():
            transaction.on_commit(lambda: super(Queue, self).enqueue_job(job, at_front=at_front, unique=unique))
            return job
        return super().enqueue_job(job, pipeline=pipeline, at_front=at_front, unique=unique)

    def schedule_job(self, job: Any, datetime: Any, pipeline: Any = None, unique: bool = False) -> Any:
        if pipeline is None and _in_transaction():
            transaction.on_commit(lambda: super(Queue, self).schedule_job(job, datetime, unique=unique))
            return job
        return super().schedule_job(job, datetime, pipeline=pipeline, unique=unique)


class RQBackend(BaseRQBackend):
    """The backend settings name when REDIS_URL is set (its queues are `Queue`, from RQ_QUEUES)."""


# Workers --------------------------------------------------------------------------------------------


class Heartbeat(db_worker.Heartbeat):
    """The worker's heartbeat row. Each beat from the thread also looks for lost claims and, on the worker that
    holds RQ's scheduler lock, moves the messages whose time has come (retries, `run_after`) onto their queue."""

    def __init__(self, worker_id: str, queues: list[Any]) -> None:
        super().__init__(worker_id)
        interval = max(1, math.ceil(settings.TASKS_HEARTBEAT_SECONDS))  # RQ takes whole seconds
        self.scheduler = RQScheduler(queues, connection=queues[0].connection, interval=interval)

    def beat(self) -> None:
        super().beat()
        if threading.current_thread() is not self:
            return
        try:
            reap_lost_runs()
            self.scheduler.acquire_locks()
            if self.scheduler.acquired_locks:
                self.scheduler.enqueue_scheduled_jobs()
        except DatabaseError:
            raise
        except Exception:
            logger.exception("could not look for lost or scheduled tasks; trying again")

    def stop(self) -> None:
        super().stop()
        with contextlib.suppress(Exception):
            self.scheduler.release_locks()


class Worker(SimpleWorker):
    """An RQ worker running one task at a time in its own process (killing it kills its task), with a heartbeat."""

    job_class = Job
    queue_class = Queue

    def work(self, *args: Any, **kwargs: Any) -> bool:
        heartbeat = Heartbeat(self.name, self.queues)
        while True:  # alive before the first claim, so no other worker mistakes its task for lost
            try:
                heartbeat.beat()
                break
            except DatabaseError as error:
                logger.warning("could not record the first heartbeat (%s); retrying", error)
                close_old_connections()
                threading.Event().wait(1)
        heartbeat.start()
        try:
            return bool(super().work(*args, **kwargs))
        finally:
            heartbeat.stop()

    def execute_job(self, job: Any, queue: Any) -> None:
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()
