"""Operational state of the running platform."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker that is alive: it moves `beat_at` forward every TASKS_HEARTBEAT_SECONDS."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class RepState(models.Model):
    """A token renewed whenever what a person's pages show may have changed (``kizuna.ops.repcache``).

    ``owner`` is the person's id, or 0 for what every rep shares (content, assignments, teams, rules). Renewed in
    the transaction that makes the change, so a page read either sees the change and the new token, or neither.
    """

    SHARED = 0

    owner = models.BigIntegerField(primary_key=True)
    token = models.CharField(max_length=16)

    def __str__(self) -> str:
        return f"{self.owner}: {self.token}"


class TaskRun(models.Model):
    """One task message on the Redis queue, claimed by one worker at a time and done once (``kizuna.ops.rqueue``).

    A message can be delivered twice (its worker was killed and it was queued again, or it was pushed twice): a
    worker runs it only after claiming this row, and a message whose row is done, or held by a live worker, is
    skipped. Rows are deleted a week after they finish.
    """

    class Status(models.TextChoices):
        RUNNING = "running"
        WAITING = "waiting"  # an attempt failed or its worker was lost: the next delivery may claim it
        DONE = "done"
        FAILED = "failed"

    task_id = models.CharField(max_length=64, primary_key=True)
    task_path = models.CharField(max_length=255)
    status = models.CharField(max_length=8, choices=Status.choices)
    worker_id = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["status", "claimed_at"], name="ops_taskrun_status_claimed")]

    def __str__(self) -> str:
        return f"{self.task_path} {self.task_id} ({self.status})"


class ScheduleTick(models.Model):
    """One run of a recurring job, claimed by the scheduler that enqueues it (``kizuna.ops.schedule``).

    Every scheduler (one per server, or spares) fires each job at the same scheduled time; only the one whose
    insert of (job, time) succeeds enqueues it, so a job runs once per time however many schedulers run.
    """

    job_id = models.CharField(max_length=100)
    run_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=255)
    claimed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job_id", "run_at"], name="ops_scheduletick_once")]

    def __str__(self) -> str:
        return f"{self.job_id} at {self.run_at:%Y-%m-%d %H:%M:%S} by {self.claimed_by}"
