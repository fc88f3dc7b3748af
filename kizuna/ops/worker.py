"""The task worker behind `manage.py db_worker`: django_tasks_db's worker, made to survive.

- A task that raises is tried again after a delay that doubles (TASKS_RETRY_DELAY_SECONDS), up to
  TASKS_MAX_ATTEMPTS runs in all; then it is marked failed with its exception.
- The worker records a heartbeat row every TASKS_HEARTBEAT_SECONDS. A RUNNING task whose worker has not
  beaten for TASKS_STALE_SECONDS (it was killed, or its machine went away) is put back on the queue, or
  marked failed once it has had all its attempts. Attempts are counted by the task's `worker_ids`.
- A locked database (SQLite's "database is locked", a lock timeout) or a lost connection while polling is
  waited out and retried, never fatal to the worker; inside a task it fails that attempt only.
- SIGTERM lets the running task finish for a few seconds, then interrupts it and puts it back on the
  queue without counting the attempt.
"""

import contextlib
import logging
import os
import signal
import socket
import threading
import time
from datetime import timedelta
from traceback import format_exception
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks.signals import task_finished, task_started
from django_tasks_db.compat import TaskContext, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as BaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .models import WorkerHeartbeat

logger = logging.getLogger("django_tasks_db")

DB_RETRY_CAP_SECONDS = 10.0


class WorkerLost(Exception):
    """The worker running a task stopped (killed, or its machine went away) before finishing it."""


class WorkerStopping(BaseException):
    """Raised into a running task when the worker must stop now; the task goes back on the queue."""


def _save_with_retry(save: Any, *args: Any) -> None:
    """Write a task's outcome, waiting out a locked database for up to a minute."""
    delay, deadline = 0.2, time.monotonic() + 60
    while True:
        try:
            save(*args)
            return
        except DatabaseError:
            if time.monotonic() > deadline:
                raise
            logger.warning("could not record a task's outcome (database busy); retrying in %.1fs", delay)
            time.sleep(delay)
            delay = min(DB_RETRY_CAP_SECONDS, delay * 2)


def requeue(db_task: DBTaskResult, *, delay: float, error: BaseException | None, count_attempt: bool = True) -> None:
    """Put a claimed task back on the queue, to run after `delay` seconds."""
    db_task.status = TaskResultStatus.READY
    db_task.run_after = timezone.now() + timedelta(seconds=delay)
    if not count_attempt and db_task.worker_ids:
        db_task.worker_ids = db_task.worker_ids[:-1]
    fields = ["status", "run_after", "worker_ids"]
    if error is not None:
        db_task.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
        db_task.traceback = "".join(format_exception(error))
        fields += ["exception_class_path", "traceback"]
    db_task.save(update_fields=fields)


def fail(db_task: DBTaskResult, error: BaseException) -> None:
    """Mark a task failed for good and tell the receivers of `task_finished` (who may tell a person)."""
    _save_with_retry(db_task.set_failed, error)
    try:
        task_finished.send(sender=type(db_task.task.get_backend()), task_result=db_task.task_result)
    except Exception:
        logger.exception("Task id=%s failed; a task_finished receiver failed too", db_task.id)


def reap_lost_tasks(*, backend_name: str) -> int:
    """Re-queue (or fail, after its last attempt) each RUNNING task whose worker's heartbeat is stale."""
    stale_before = timezone.now() - timedelta(seconds=settings.TASKS_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=stale_before).values_list("worker_id", flat=True))
    # Claimed before the cut-off, so a worker that has just claimed a task has beaten since.
    candidates = DBTaskResult.objects.running().filter(backend_name=backend_name, started_at__lt=stale_before)
    reaped = 0
    for task_id in list(candidates.values_list("id", flat=True)):
        with exclusive_transaction(candidates.db):
            db_task = candidates.select_for_update().filter(pk=task_id).first()
            if db_task is None or (db_task.worker_ids and db_task.worker_ids[-1] in alive):
                continue
            attempts = len(db_task.worker_ids)
            worker = db_task.worker_ids[-1] if db_task.worker_ids else "?"
            lost = WorkerLost(
                f"worker {worker} stopped during attempt {attempts} of {settings.TASKS_MAX_ATTEMPTS} of this task"
            )
            if attempts < settings.TASKS_MAX_ATTEMPTS:
                requeue(db_task, delay=0, error=lost)
                logger.warning("Task id=%s lost its worker %s: queued again", db_task.id, worker)
            else:
                fail(db_task, lost)
                logger.error("Task id=%s lost its worker %s on its last attempt: failed", db_task.id, worker)
            reaped += 1
    WorkerHeartbeat.objects.filter(beat_at__lt=stale_before).delete()
    return reaped


class Heartbeat(threading.Thread):
    """Moves this worker's heartbeat row forward until stopped, on its own database connection."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="task-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": timezone.now(),
            },
        )

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.TASKS_HEARTBEAT_SECONDS):
                try:
                    self.beat()
                except DatabaseError as error:
                    logger.warning("heartbeat not recorded (%s); trying again", error)
                    close_old_connections()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=settings.TASKS_HEARTBEAT_SECONDS + 5)
        with contextlib.suppress(DatabaseError):  # if not, it is stale soon and whoever reaps deletes it
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


class Worker(BaseWorker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heartbeat = Heartbeat(self.worker_id)
        self.next_reap = 0.0
        self.db_delay = 0.0

    # Stopping -------------------------------------------------------------------------------------

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running_task:
            if not self.running:
                raise WorkerStopping(signal.strsignal(signum))
            self.running = False
            grace = max(1.0, settings.SERVE_STOP_GRACE_SECONDS / 2)
            logger.warning(
                "Received %s - letting the running task finish for %.0fs, then putting it back on the queue",
                signal.strsignal(signum),
                grace,
            )
            signal.signal(signal.SIGALRM, self._stop_now)
            signal.setitimer(signal.ITIMER_REAL, grace)
            return
        logger.warning("Received %s - stopping", signal.strsignal(signum))
        self.running = False
        raise SystemExit(0)

    def _stop_now(self, signum: int, frame: FrameType | None) -> None:
        if self.running_task:
            raise WorkerStopping("stop grace time over")

    # Polling --------------------------------------------------------------------------------------

    def claim_next(self) -> DBTaskResult | None:
        close_old_connections()
        if time.monotonic() >= self.next_reap:
            reap_lost_tasks(backend_name=self.backend_name)
            self.next_reap = time.monotonic() + settings.TASKS_HEARTBEAT_SECONDS
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            db_task = tasks.get_locked()
            if db_task is not None:
                db_task.claim(self.worker_id)
        return db_task

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        self._beat_first()
        self.heartbeat.start()
        try:
            while self.running:
                try:
                    db_task = self.claim_next()
                    self.db_delay = 0.0
                except DatabaseError as error:
                    # Locked, timed out or disconnected: wait it out, never die of it.
                    self.db_delay = min(DB_RETRY_CAP_SECONDS, max(0.2, self.db_delay * 2))
                    logger.warning("database unavailable while polling (%s); retrying in %.1fs", error, self.db_delay)
                    self._reset_connection()
                    time.sleep(self.db_delay)
                    continue
                if db_task is not None:
                    self.run_task(db_task)
                if self.batch and db_task is None:
                    logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    logger.info("Run maximum tasks (%d) on worker=%s - exiting.", self._run_tasks, self.worker_id)
                    return
                close_old_connections()
                if self.running and db_task is None:
                    time.sleep(self.interval)
        finally:
            self.heartbeat.stop()

    def _beat_first(self) -> None:
        # Alive before the first claim, so no other worker mistakes the task for lost.
        while True:
            try:
                self.heartbeat.beat()
                return
            except DatabaseError as error:
                logger.warning("could not record the first heartbeat (%s); retrying", error)
                self._reset_connection()
                time.sleep(1)

    @staticmethod
    def _reset_connection() -> None:
        with contextlib.suppress(DatabaseError):
            connection.close()

    # Running --------------------------------------------------------------------------------------

    def run_task(self, db_task: DBTaskResult) -> None:
        """Run a claimed task: success, another attempt later, failure after the last, or back on stop."""
        self.running_task = True
        try:
            try:
                task = db_task.task
                task_result = db_task.task_result
                backend_type = task.get_backend()
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
                signal.setitimer(signal.ITIMER_REAL, 0)
                _save_with_retry(db_task.set_successful, value)
                task_finished.send(sender=backend_type, task_result=db_task.task_result)
            except WorkerStopping:
                signal.setitimer(signal.ITIMER_REAL, 0)
                self._reset_connection()
                _save_with_retry(lambda: requeue(db_task, delay=0, error=None, count_attempt=False))
                logger.warning("Task id=%s interrupted by the worker's stop: queued again", db_task.id)
            except BaseException as error:  # noqa: BLE001 (a task's failure is recorded, whatever it is)
                signal.setitimer(signal.ITIMER_REAL, 0)
                self._failed_attempt(db_task, error)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _failed_attempt(self, db_task: DBTaskResult, error: BaseException) -> None:
        if isinstance(error, DatabaseError):
            self._reset_connection()  # a broken transaction or connection must not reach the next write
        attempts = len(db_task.worker_ids)
        if attempts < settings.TASKS_MAX_ATTEMPTS:
            delay = settings.TASKS_RETRY_DELAY_SECONDS * 2 ** (attempts - 1)
            _save_with_retry(lambda: requeue(db_task, delay=delay, error=error))
            logger.warning(
                "Task id=%s attempt %d of %d failed (%s: %s); trying again in %.1fs",
                db_task.id,
                attempts,
                settings.TASKS_MAX_ATTEMPTS,
                type(error).__name__,
                error,
                delay,
            )
        else:
            fail(db_task, error)
            logger.error(
                "Task id=%s failed on attempt %d of %d: %s: %s",
                db_task.id,
                attempts,
                settings.TASKS_MAX_ATTEMPTS,
                type(error).__name__,
                error,
            )
