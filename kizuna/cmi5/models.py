"""cmi5 courses: the imported course structure (immutable), and each rep's registration, AU sessions and AU status.

A course structure (cmi5.xml) is stored once with its blocks and AUs; the zip's files (if any) under
``cmi5/<key>/`` in the file storage. A rep gets one registration per course (cmi5's enrolment, the xAPI
context.registration); each launch of an AU is a session with its own id, its one-time fetch URL and the
auth-token the AU fetched, which the LRS (kizuna.lrs.grants) accepts only for that session's statements.
What happened is in the LRS as statements; the rows here remember what the cmi5 rules need.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MoveOn(models.TextChoices):
    NOT_APPLICABLE = "NotApplicable"
    PASSED = "Passed"
    COMPLETED = "Completed"
    COMPLETED_AND_PASSED = "CompletedAndPassed"
    COMPLETED_OR_PASSED = "CompletedOrPassed"


class LaunchMode(models.TextChoices):
    NORMAL = "Normal"
    BROWSE = "Browse"
    REVIEW = "Review"


class Course(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The course's id in cmi5.xml (the publisher's IRI).
    publisher_id = models.CharField(max_length=1000)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(blank=True)
    file_count = models.PositiveIntegerField(default=0)
    total_bytes = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def storage_prefix(self) -> str:
        return f"cmi5/{self.key}/"


class Block(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="blocks")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField(default=0)
    publisher_id = models.CharField(max_length=1000)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["course", "position"]

    def __str__(self) -> str:
        return self.title


class Au(models.Model):
    """An assignable unit, in the course structure's order (position counts blocks and AUs together)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="aus")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, null=True, blank=True, related_name="aus")
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField(default=0)
    publisher_id = models.CharField(max_length=1000)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # A path in the course's zip (with its own query, if any) or a fully qualified URL of an external AU.
    url = models.CharField(max_length=2000)
    move_on = models.CharField(max_length=20, choices=MoveOn.choices, default=MoveOn.NOT_APPLICABLE)
    mastery_score = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    launch_method = models.CharField(max_length=10, default="AnyWindow")
    launch_parameters = models.TextField(blank=True)
    entitlement_key = models.TextField(blank=True)
    activity_type = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["course", "position"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_external(self) -> bool:
        return self.url.startswith(("http://", "https://"))


class Registration(models.Model):
    """A rep's enrolment in a cmi5 course (one per rep and course), with what the LMS found satisfied."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="registrations")
    # The published lesson the course was last launched from.
    lesson = models.ForeignKey("catalog.PublishedLesson", on_delete=models.CASCADE, related_name="+")
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Blocks (their pk) and the course ("course") a satisfied statement was issued for, once each.
    satisfied = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "course"], name="cmi5_registration_once")]

    def __str__(self) -> str:
        return str(self.registration)


class AuStatus(models.Model):
    """What the cmi5-defined statements of a registration said about one AU (each at most once)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="statuses")
    au = models.ForeignKey(Au, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    passed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    waived_at = models.DateTimeField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "au"], name="cmi5_status_once")]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.au_id}"

    @property
    def satisfied(self) -> bool:
        """Whether the AU's moveOn is met (a waived AU always meets it)."""
        if self.waived_at is not None:
            return True
        done, passed = self.completed_at is not None, self.passed_at is not None
        return {
            MoveOn.NOT_APPLICABLE: True,
            MoveOn.PASSED: passed,
            MoveOn.COMPLETED: done,
            MoveOn.COMPLETED_AND_PASSED: done and passed,
            MoveOn.COMPLETED_OR_PASSED: done or passed,
        }[MoveOn(self.au.move_on)]


class Session(models.Model):
    """One launch of an AU: its fetch URL (usable once), its auth-token, and the cmi5-defined verbs it sent."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sessions")
    au = models.ForeignKey(Au, on_delete=models.CASCADE, related_name="+")
    session_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    launch_mode = models.CharField(max_length=8, choices=LaunchMode.choices, default=LaunchMode.NORMAL)
    fetch_hash = models.CharField(max_length=64, unique=True)
    # The auth-token's HTTP Basic key (kizuna.lrs.grants.GRANT_PREFIX…) and the hash of its secret, once fetched.
    token_key = models.CharField(max_length=40, unique=True)
    token_hash = models.CharField(max_length=64, blank=True)
    token_fetched_at = models.DateTimeField(null=True, blank=True)
    launched_at = models.DateTimeField()
    initialized_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)
    last_statement_at = models.DateTimeField(null=True, blank=True)
    # The cmi5-defined verbs the AU sent in this session, in order (short names: "initialized", "passed"…).
    verbs = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["registration", "terminated_at", "abandoned_at"])]

    def __str__(self) -> str:
        return str(self.session_id)

    @property
    def is_open(self) -> bool:
        return self.terminated_at is None and self.abandoned_at is None
