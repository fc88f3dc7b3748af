"""Surveys: the author's draft, its immutable published versions, where they were sent, and the answers.

A response is a projection of the rep's ``completed`` statement on the survey
(kizuna.surveys.projections), so it can be rebuilt from the statements.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.catalog.versions import Draft, PublishedVersion


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agreement (1–5)")
    NPS = "nps", _("Recommendation (0–10)")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Free text")


class Survey(Draft):
    """The author's working copy of a survey."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    latest_version = models.ForeignKey(
        "SurveyVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    # Stable across versions, so results of the same question can be compared.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(pgettext_lazy("survey", "question"), max_length=300)
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class SurveyVersion(PublishedVersion):
    """An immutable published survey: its questions are copied into ``questions``."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    intro = models.TextField(blank=True)
    # [{"key", "kind", "text", "options", "required"}], in order.
    questions = models.JSONField(default=list)

    class Meta:
        ordering = ["survey", "-number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="surveys_version_unique")]


class SurveySend(models.Model):
    """A published survey sent to a whole partner or one of its teams."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="sends")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("orgs.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["partner", "version"])]

    def __str__(self) -> str:
        return f"{self.version} → {self.team or self.partner}"


class SurveyResponse(models.Model):
    """Projection: one rep's answers to one survey version (one per rep and version)."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="responses")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, related_name="+")
    lesson_id = models.PositiveIntegerField(null=True, blank=True)
    # The id of the `completed` statement, made by the rep's browser.
    statement_id = models.UUIDField(unique=True)
    # {question key: int | [str] | str}
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [models.UniqueConstraint(fields=["version", "rep"], name="surveys_response_once")]
        indexes = [models.Index(fields=["version", "partner"])]
