"""SCORM packages: the imported package with its SCOs (immutable), and each rep's runtime state in a SCO.

A package is stored once, as uploaded, under ``packages/<key>/`` in the file storage; it never changes, so a
published lesson refers to it directly. The runtime state is what the SCO needs to resume (on any device);
what the rep did is recorded as statements (kizuna.packages.runtime), the state only remembers how far the
statements already went, so a repeated commit records nothing twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Standard(models.TextChoices):
    SCORM12 = "scorm12", "SCORM 1.2"
    SCORM2004 = "scorm2004", "SCORM 2004"


class Package(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    standard = models.CharField(max_length=16, choices=Standard.choices)
    # The manifest's schemaversion, e.g. "1.2", "2004 3rd Edition", "2004 4th Edition".
    schema_version = models.CharField(max_length=60, blank=True)
    file_count = models.PositiveIntegerField(default=0)
    # SCORM 2004's activity tree with its sequencing (kizuna.packages.sequencing); {} when the package has none.
    sequencing = models.JSONField(default=dict, blank=True)
    total_bytes = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def storage_prefix(self) -> str:
        return f"packages/{self.key}/"


class Sco(models.Model):
    """A launchable item of the package's default organization, in the manifest's order."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="scos")
    position = models.PositiveIntegerField()
    identifier = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    # Nesting in the organization (0: a top-level item), to draw the structure.
    depth = models.PositiveSmallIntegerField(default=0)
    # Package-relative launch path with the item's parameters (a query or fragment).
    href = models.CharField(max_length=2000)
    # An asset is launched but never talks to the API: it counts as completed once opened.
    is_asset = models.BooleanField(default=False)
    # 1.2 adlcp:masteryscore (0–100) / 2004 imsss:minNormalizedMeasure as 0–100; None when the manifest sets none.
    mastery_score = models.FloatField(null=True, blank=True)
    launch_data = models.TextField(blank=True)

    class Meta:
        ordering = ["package", "position"]
        constraints = [models.UniqueConstraint(fields=["package", "position"], name="packages_sco_position")]

    def __str__(self) -> str:
        return self.title


class ScoState(models.Model):
    """One rep's runtime data in one SCO: what a launch on any device resumes from, and what is recorded."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sco = models.ForeignKey(Sco, on_delete=models.CASCADE, related_name="states")
    # The published lesson the SCO was last played in.
    lesson = models.ForeignKey("catalog.PublishedLesson", on_delete=models.CASCADE, related_name="+")
    # One registration per rep and SCO (the xAPI context.registration of its statements).
    registration = models.UUIDField(default=uuid.uuid4, editable=False)
    completion = models.CharField(max_length=16, default="not attempted")
    success = models.CharField(max_length=16, default="unknown")
    score_raw = models.FloatField(null=True, blank=True)
    score_min = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    exit = models.CharField(max_length=16, blank=True)
    # Seconds of the finished sessions; the current session's are session_seconds.
    total_seconds = models.FloatField(default=0.0)
    session_id = models.UUIDField(null=True, blank=True)
    session_started_at = models.DateTimeField(null=True, blank=True)
    session_seconds = models.FloatField(default=0.0)
    # The interactions of the current session already recorded: {index: fingerprint}.
    session_interactions = models.JSONField(default=dict)
    commits = models.PositiveIntegerField(default=0)
    # Attempts begun (a session that does not resume a suspended one), for SCORM 2004's attempt limits.
    attempts = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "sco"], name="packages_state_once")]

    def __str__(self) -> str:
        return f"{self.rep_id} in {self.sco_id}"

    @property
    def is_done(self) -> bool:
        """Whether the SCO counts as finished: completed or passed (a failed test does not finish it)."""
        if self.success == "failed":
            return False
        return self.success == "passed" or self.completion == "completed"
