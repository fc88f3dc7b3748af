"""Statements (the append-only source of truth) and the progress projections derived from them."""

import uuid

from django.conf import settings
from django.db import models


class Statement(models.Model):
    """One learning event, shaped as an xAPI 1.0.3 statement. Never updated or deleted."""

    # Insertion order: projections are rebuilt by replaying statements in this order.
    seq = models.BigAutoField(primary_key=True)
    id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="statements")
    # The actor's agency when it happened, for partner-scoped reads and analytics.
    partner = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="statements"
    )
    verb = models.CharField(max_length=200)
    object_iri = models.CharField(max_length=500)
    object_type = models.CharField(max_length=200)
    object_name = models.JSONField(default=dict)
    # The rest of the activity definition (interactionType, choices…), when there is more than type and name.
    object_definition = models.JSONField(default=dict, blank=True)
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    course_version = models.ForeignKey(
        "catalog.CourseVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lesson = models.ForeignKey(
        "catalog.PublishedLesson", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result = models.JSONField(null=True, blank=True)
    context = models.JSONField(default=dict)
    # result.duration in seconds, kept as a column so time spent sums in the database.
    duration_seconds = models.FloatField(null=True, blank=True)
    timestamp = models.DateTimeField()
    stored = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["actor", "timestamp"]),
            models.Index(fields=["partner", "timestamp"]),
            models.Index(fields=["lesson", "actor"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb.rsplit('/', 1)[-1]} {self.object_iri}"


class StatementKey(models.Model):
    """The statement ids stored so far, unique across every month's partition (PostgreSQL only).

    On PostgreSQL `records_statement` is partitioned by month of `stored` (docs/statements-at-scale.md), and a unique
    index there can only be per partition. A trigger inserts each new statement's id here first and skips the
    statement when the id is known, so an id is stored once whatever the partition, under concurrency (the
    second insert waits for the first's transaction) and after a killed process (both rows roll back).
    Keys outlive a detached partition, so an archived statement's id is never reused. Unused on SQLite, where
    the statements table keeps its own unique index.
    """

    id = models.UUIDField(primary_key=True)
    seq = models.BigIntegerField()
    stored = models.DateTimeField()


class LessonProgress(models.Model):
    """Projection: one rep's progress in one published lesson."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("catalog.PublishedLesson", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # Video: where to resume, the merged played segments [[start, end], ...] and their coverage 0..1.
    position_seconds = models.FloatField(default=0)
    played_segments = models.JSONField(default=list)
    progress = models.FloatField(default=0)
    time_spent_seconds = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="records_lesson_progress_once")]
        indexes = [models.Index(fields=["user", "course"])]


class CourseProgress(models.Model):
    """Projection: one rep's progress in one course, on the version they started."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_progress")
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey("catalog.CourseVersion", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    lessons_completed = models.PositiveIntegerField(default=0)
    lessons_total = models.PositiveIntegerField(default=0)
    time_spent_seconds = models.FloatField(default=0)
    last_lesson = models.ForeignKey(
        "catalog.PublishedLesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="records_course_progress_once")]
        indexes = [models.Index(fields=["partner", "course"])]

    @property
    def percent(self) -> int:
        if not self.lessons_total:
            return 0
        return round(100 * self.lessons_completed / self.lessons_total)


class LearningDay(models.Model):
    """Projection: one person's learning on one calendar day (in the deployment's time zone)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_days")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    day = models.DateField()
    seconds = models.FloatField(default=0)
    statements = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="records_learning_day_once")]
        indexes = [models.Index(fields=["partner", "day"])]


class PendingStatement(models.Model):
    """A stored statement the background projector has not applied yet (the outbox of the deferred projections).

    Written in the transaction that stores the statement, deleted in the transaction that projects it, so a
    statement is projected exactly once whichever process dies when. A statement that keeps failing is kept
    with its error after a few attempts and no longer retried (``rebuild_projections`` clears the queue).
    """

    seq = models.BigIntegerField(primary_key=True)  # the statement's seq; no foreign key: bookkeeping only
    # The statement's `stored`, so the projector reads only the months its batch was stored in (PostgreSQL's
    # partitions); None for the rows queued before it was kept.
    stored = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"pending statement {self.seq}"
