"""REDIS_URL: tasks run on the Redis queue (RQ) by several worker processes; a task whose worker was killed, or whose
message came twice, does its work once. Real redis-server and real worker processes on the test database."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import django_rq
import pytest
import redis
from django.conf import settings
from django.db import transaction
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus
from rq.exceptions import NoSuchJobError

from kizuna.ops.models import TaskRun, WorkerHeartbeat
from kizuna.ops.rqueue import Job
from kizuna.ops.tests import procs
from kizuna.ops.tests.tasks import always_fails, note_worker, slow_the_first_time

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue_url(redis_server, settings):
    """The Redis queue, empty, as this test process and the workers it starts see it (database 1 of the server)."""
    url = redis_server.rsplit("/", 1)[0] + "/1"
    redis.Redis.from_url(url).flushdb()
    settings.TASKS = {"default": {"BACKEND": "kizuna.ops.rqueue.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS_MAX_ATTEMPTS = 3
    return url


@pytest.fixture
def workers(queue_url, tmp_path):
    started = []

    def start():
        env = procs.child_env(tmp_path, REDIS_URL=queue_url)
        process = procs.start(["rq_worker"], env, tmp_path / f"worker-{len(started)}.log")
        started.append(process)
        procs.wait_for(
            lambda: WorkerHeartbeat.objects.filter(pid=process.pid).exists(), timeout=60, what="the worker to start"
        )
        return process

    yield start
    for process in started:
        procs.stop(process)


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def status_of(task_id: str) -> TaskResultStatus | None:
    try:
        return default_task_backend.get_result(task_id).status
    except NoSuchJobError:  # django-tasks-rq read it as scheduled as the scheduler moved it onto the queue: ask again
        return None


def test_tasks_enqueued_with_redis_run_on_several_worker_processes(workers, tmp_path):
    first, second = workers(), workers()
    marker = tmp_path / "runs"
    ids = [note_worker.enqueue(str(marker), 0.4).id for _ in range(6)]

    procs.wait_for(
        lambda: all(status_of(task_id) == TaskResultStatus.SUCCESSFUL for task_id in ids), timeout=60, what="the tasks"
    )
    assert len(lines(marker)) == 6
    assert set(lines(marker)) == {str(first.pid), str(second.pid)}
    assert {default_task_backend.get_result(task_id).return_value for task_id in ids} == {first.pid, second.pid}
    assert set(TaskRun.objects.values_list("status", "attempts")) == {(TaskRun.Status.DONE, 1)}


def test_a_task_whose_worker_was_killed_mid_task_completes_once_on_another_worker(workers, tmp_path):
    marker = tmp_path / "runs"
    task_id = slow_the_first_time.enqueue(str(marker)).id
    first = workers()
    procs.wait_for(lambda: lines(marker), timeout=30, what="the first run to start")
    lost_worker = TaskRun.objects.get(pk=task_id).worker_id
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=5)
    assert status_of(task_id) == TaskResultStatus.RUNNING  # what the dead worker left behind

    workers()
    procs.wait_for(lambda: status_of(task_id) == TaskResultStatus.SUCCESSFUL, timeout=60, what="the task to complete")
    run = TaskRun.objects.get(pk=task_id)
    assert lines(marker) == ["start", "start"]
    assert lines(Path(f"{marker}.done")) == ["done"]
    assert (run.status, run.attempts) == (TaskRun.Status.DONE, 2)
    assert run.worker_id != lost_worker
    assert default_task_backend.get_result(task_id).return_value == "done"


def test_a_message_delivered_again_after_its_task_was_done_does_nothing(workers, tmp_path):
    marker = tmp_path / "runs"
    task_id = note_worker.enqueue(str(marker), 0).id
    workers()
    procs.wait_for(lambda: status_of(task_id) == TaskResultStatus.SUCCESSFUL, timeout=60, what="the task")

    queue = django_rq.get_queue("default", job_class=Job)
    queue.enqueue_job(Job.fetch(task_id, connection=queue.connection))  # the same message, pushed again
    procs.wait_for(
        lambda: "delivered again (already done): skipped" in (tmp_path / "worker-0.log").read_text(),
        timeout=30,
        what="the second delivery",
    )
    assert len(lines(marker)) == 1
    assert TaskRun.objects.get(pk=task_id).attempts == 1


def test_a_message_delivered_while_a_live_worker_runs_it_is_skipped(workers, tmp_path):
    marker = tmp_path / "runs"
    task_id = slow_the_first_time.enqueue(str(marker)).id
    workers()
    procs.wait_for(lambda: lines(marker), timeout=30, what="the first run to start")

    workers()
    queue = django_rq.get_queue("default", job_class=Job)
    queue.enqueue_job(Job.fetch(task_id, connection=queue.connection))
    procs.wait_for(
        lambda: "delivered again while worker" in (tmp_path / "worker-1.log").read_text(),
        timeout=30,
        what="the second delivery",
    )
    assert lines(marker) == ["start"]
    assert TaskRun.objects.get(pk=task_id).attempts == 1


def test_a_task_failing_every_time_fails_after_its_attempts(workers, tmp_path):
    marker = tmp_path / "runs"
    task_id = always_fails.enqueue(str(marker)).id
    worker = workers()
    procs.wait_for(lambda: status_of(task_id) == TaskResultStatus.FAILED, timeout=60, what="the task to fail")
    result = default_task_backend.get_result(task_id)
    assert lines(marker) == ["start"] * 3
    assert result.errors[-1].exception_class_path == "builtins.RuntimeError"
    assert "this task fails on purpose" in result.errors[-1].traceback
    assert TaskRun.objects.get(pk=task_id).status == TaskRun.Status.FAILED
    assert worker.poll() is None


def test_a_task_enqueued_in_a_transaction_reaches_redis_only_when_it_commits(queue_url, tmp_path):
    queue = django_rq.get_queue("default", job_class=Job)
    with transaction.atomic():
        note_worker.enqueue(str(tmp_path / "kept"), 0)
        assert queue.count == 0
    assert queue.count == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        note_worker.enqueue(str(tmp_path / "rolled-back"), 0)
        raise RuntimeError("rolled back")
    assert queue.count == 1


def test_only_redis_url_moves_the_tasks_to_redis(redis_server, tmp_path):
    code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    backends = []
    for extra in ({}, {"REDIS_URL": redis_server}):
        # Only what this test sets: on the CI's Redis pass child_env passes the run's REDIS_URL and pins
        # TASKS_BACKEND to the database queue the test process uses; a deployment's default is what is checked here.
        env = {k: v for k, v in procs.child_env(tmp_path).items() if k not in {"REDIS_URL", "TASKS_BACKEND"}}
        env.update(extra)
        done = subprocess.run(  # noqa: S603
            [sys.executable, procs.MANAGE, "shell", "--no-imports", "-c", code],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        backends.append(done.stdout.strip().splitlines()[-1])
    assert backends == ["django_tasks_db.DatabaseBackend", "kizuna.ops.rqueue.RQBackend"]
