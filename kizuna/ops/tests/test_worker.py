"""The task worker survives: a task whose worker died runs again, a failing task stops after its attempts,
a locked database never kills the worker. Real worker processes on the test database."""

import os
import signal
from pathlib import Path

import pytest
from django.db import OperationalError
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kizuna.ops.tests import procs
from kizuna.ops.tests.tasks import always_fails, locked_the_first_time, slow_the_first_time

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_MAX_ATTEMPTS = 3


@pytest.fixture
def workers(tmp_path):
    started = []

    def start():
        process = procs.start_worker(procs.child_env(tmp_path), tmp_path / "worker.log")
        started.append(process)
        return process

    yield start
    for process in started:
        procs.stop(process)


def result_of(task_id) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=task_id)


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_a_task_whose_worker_was_killed_runs_again_on_a_new_worker_and_completes_once(db_tasks, workers, tmp_path):
    marker = tmp_path / "runs"
    task_id = slow_the_first_time.enqueue(str(marker)).id
    first = workers()
    procs.wait_for(lambda: lines(marker), timeout=90, what="the first run to start")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=5)
    assert result_of(task_id).status == TaskResultStatus.RUNNING  # what the dead worker left behind

    workers()
    procs.wait_for(
        lambda: result_of(task_id).status == TaskResultStatus.SUCCESSFUL, timeout=90, what="the task to complete"
    )
    result = result_of(task_id)
    assert lines(marker) == ["start", "start"]
    assert lines(Path(f"{marker}.done")) == ["done"]
    assert len(result.worker_ids) == 2 and result.worker_ids[0] != result.worker_ids[1]
    assert result.return_value == "done"


def test_a_task_failing_every_time_ends_failed_after_its_attempts_with_its_reason(db_tasks, workers, tmp_path):
    marker = tmp_path / "runs"
    task_id = always_fails.enqueue(str(marker)).id
    worker = workers()
    procs.wait_for(lambda: result_of(task_id).status == TaskResultStatus.FAILED, timeout=90, what="the task to fail")
    result = result_of(task_id)
    assert lines(marker) == ["start"] * 3
    assert result.exception_class_path == "builtins.RuntimeError"
    assert "this task fails on purpose" in result.traceback
    assert worker.poll() is None  # the worker itself carries on


def test_a_locked_database_inside_a_task_is_retried_and_never_stops_the_worker(db_tasks, workers, tmp_path):
    marker = tmp_path / "runs"
    task_id = locked_the_first_time.enqueue(str(marker)).id
    worker = workers()
    procs.wait_for(
        lambda: result_of(task_id).status == TaskResultStatus.SUCCESSFUL, timeout=90, what="the task to succeed"
    )
    assert lines(marker) == ["start", "start"]
    assert worker.poll() is None


def test_a_locked_database_while_polling_is_waited_out(monkeypatch, settings):
    from kizuna.ops import worker as worker_module

    calls = []

    def claim_next(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        self.running = False

    monkeypatch.setattr(worker_module.Worker, "claim_next", claim_next)
    monkeypatch.setattr(worker_module.Worker, "_beat_first", lambda self: None)
    monkeypatch.setattr(worker_module.Heartbeat, "start", lambda self: None)
    monkeypatch.setattr(worker_module.Heartbeat, "stop", lambda self: None)
    monkeypatch.setattr(worker_module.time, "sleep", lambda seconds: None)
    worker = worker_module.Worker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.run()  # returns instead of raising
    assert len(calls) == 3


def test_sigterm_puts_a_long_running_task_back_on_the_queue_without_using_an_attempt(db_tasks, workers, tmp_path):
    from kizuna.ops.models import WorkerHeartbeat

    marker = tmp_path / "runs"
    task_id = slow_the_first_time.enqueue(str(marker)).id
    worker = workers()
    procs.wait_for(lambda: lines(marker), timeout=90, what="the task to start")
    assert WorkerHeartbeat.objects.count() == 1
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=15) == 0  # after half of SERVE_STOP_GRACE_SECONDS, not the task's 60 s
    result = result_of(task_id)
    assert result.status == TaskResultStatus.READY and result.worker_ids == []
    assert not WorkerHeartbeat.objects.exists()
