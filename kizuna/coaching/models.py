"""Roleplay practice: assignments with a rubric, reps' filmed takes, reviews with time-coded comments.

A rep's video is a media.Video made private to this app: it is never linked from a
lesson (until the rep consents and a coach publishes it) and is served only through
signed, expiring URLs that are checked against the access rule on every request.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Roleplay(models.Model):
    """A roleplay assignment: the situation, the customer, the goal, the rubric and who reviews."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    situation = models.TextField(_("situation"))
    persona = models.TextField(_("customer persona"))
    goal = models.TextField(_("what a good conversation achieves"))
    pass_threshold = models.PositiveSmallIntegerField(_("pass threshold (%)"), default=60)
    review_by_coach = models.BooleanField(_("a coach reviews"), default=True)
    review_by_manager = models.BooleanField(_("the rep's manager reviews"), default=False)
    peer_count = models.PositiveSmallIntegerField(_("number of peer reviewers"), default=2)
    review_days = models.PositiveSmallIntegerField(_("days to review"), default=3)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Criterion(models.Model):
    """One rubric criterion: a weight and a description of each level (level 1 = the first description)."""

    roleplay = models.ForeignKey(Roleplay, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    levels = models.JSONField(_("levels"), default=list)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def max_level(self) -> int:
        return len(self.levels)


class RoleplayTarget(models.Model):
    """Who must do a roleplay: a whole partner, one team or one rep (like catalog assignments)."""

    roleplay = models.ForeignKey(Roleplay, on_delete=models.CASCADE, related_name="targets")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("orgs.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["partner", "roleplay"])]

    def __str__(self) -> str:
        return f"{self.roleplay} → {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.rep_id:
            return str(self.rep)
        if self.team_id:
            return str(self.team)
        return str(self.partner)


class Upload(models.Model):
    """A resumable chunked upload in progress; its chunks are stored under private/coaching/uploads/<key>/."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # None: an upload another app finishes (a success story's interview, through upload_file_ready).
    roleplay = models.ForeignKey(Roleplay, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    size = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    # Made by the client: the statement id of the submission, so a retried finish records it once.
    statement_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.key)


class Submission(models.Model):
    """One take of a rep at a roleplay; the video is a private media.Video."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    roleplay = models.ForeignKey(Roleplay, on_delete=models.CASCADE, related_name="submissions")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roleplay_submissions")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    take = models.PositiveSmallIntegerField(default=1)
    video = models.ForeignKey("media.Video", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    statement_id = models.UUIDField(unique=True)
    note = models.TextField(_("note for reviewers"), blank=True)
    submitted_at = models.DateTimeField()
    # The decision, once the reviews are in: weighted score 0..1 and pass/fail.
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Calibration: coaches score reference submissions; other reviewers are compared with them.
    is_reference = models.BooleanField(default=False)
    exemplary_consent = models.BooleanField(
        _("I agree that this take may be shown to others as an example"), default=False
    )
    # The published lesson made from this take (catalog's id), once a coach published it as an example.
    exemplary_lesson_id = models.PositiveIntegerField(null=True, blank=True)
    # Its one-lesson course, set before that course is published: the success-stories hook credits the rep through it.
    exemplary_course = models.ForeignKey(
        "catalog.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["roleplay", "rep", "take"], name="coaching_take_unique")]
        indexes = [models.Index(fields=["partner", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.roleplay} / {self.rep} #{self.take}"


class Review(models.Model):
    """A request to one reviewer, and once submitted, their rubric scores and feedback."""

    class Role(models.TextChoices):
        COACH = "coach", _("coach")
        MANAGER = "manager", _("manager")
        PEER = "peer", _("peer")
        # A reviewer scoring a reference take to see how close they are to the coaches; never counts for the rep.
        CALIBRATION = "calibration", _("calibration")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        SUBMITTED = "submitted", _("submitted")
        EXPIRED = "expired", _("expired")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roleplay_reviews")
    role = models.CharField(max_length=16, choices=Role.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    feedback = models.TextField(_("overall feedback"), blank=True)
    score = models.FloatField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    statement_id = models.UUIDField(default=uuid.uuid4, unique=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer"], name="coaching_review_once")]
        indexes = [models.Index(fields=["reviewer", "status"])]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.submission}"


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    reason = models.TextField(_("reason"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="coaching_score_once")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.level}"


class Comment(models.Model):
    """A time-coded comment on a take (or a reply to one)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    at_second = models.PositiveIntegerField(_("second"), default=0)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at_second", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class RoleplayResult(models.Model):
    """Projection of PASSED/FAILED statements: a rep's best result at a roleplay."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    roleplay = models.ForeignKey(Roleplay, on_delete=models.CASCADE, related_name="results")
    best_score = models.FloatField(default=0.0)
    passed = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    passed_at = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "roleplay"], name="coaching_result_once")]
        indexes = [models.Index(fields=["rep", "passed"])]

    def __str__(self) -> str:
        return f"{self.rep_id}/{self.roleplay_id}: {self.passed}"
