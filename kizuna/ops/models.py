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
