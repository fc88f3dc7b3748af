"""Agreements with partner agencies (versioned, accepted by the agency's manager) and the learning-time rollups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementVersion(models.Model):
    """One version of the principal's terms with one partner; it takes effect on its effective date.

    Versions are never edited once written: a change is a new version, which the partner's manager accepts.
    """

    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="agreement_versions")
    number = models.PositiveIntegerField()
    effective_from = models.DateField(_("effective from"))
    min_minutes_per_month = models.PositiveIntegerField(_("minimum learning minutes per month"), default=0)
    counts_as_work = models.BooleanField(_("learning time counts as paid work time"), default=False)
    work_cap_minutes_per_month = models.PositiveIntegerField(
        _("monthly cap of work time (minutes)"), null=True, blank=True
    )
    evaluation_text = models.TextField(_("how learning links to evaluation and incentives"), blank=True)
    share_rankings = models.BooleanField(_("take part in cross-agency rankings"), default=False)
    share_reviews = models.BooleanField(_("take part in cross-agency roleplay reviews"), default=False)
    share_community = models.BooleanField(_("take part in the cross-agency community"), default=True)
    manager_may_export = models.BooleanField(_("the manager may export reports"), default=True)
    retention_days = models.PositiveIntegerField(
        _("days a departed rep's data is kept before anonymization"), default=90
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_by_name = models.CharField(max_length=150, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # When the version took effect: sharing set, assignments re-planned (None: not yet).
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partner", "-number"]
        constraints = [models.UniqueConstraint(fields=["partner", "number"], name="agreements_version_unique")]
        indexes = [models.Index(fields=["partner", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.partner} v{self.number}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None


class AgreementCourse(models.Model):
    """A course an agreement version asks of the partner's reps: required (with a due date) or optional."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="courses")
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(_("required"), default=True)
    due_on = models.DateField(_("due"), null=True, blank=True)

    class Meta:
        ordering = ["-required", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "course"], name="agreements_course_once")]

    def __str__(self) -> str:
        return f"{self.version}: {self.course}"


class AgreementAssignment(models.Model):
    """Which catalog assignment an agreement made for a course of a partner, so a new version can re-plan it."""

    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey("catalog.Assignment", on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "course"], name="agreements_assignment_once")]


class DepartedRep(models.Model):
    """A rep seen inactive by the daily job: the retention period counts from here, then they are anonymized."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    departed_at = models.DateTimeField()
    anonymized_at = models.DateTimeField(null=True, blank=True)


class LearningTimeDay(models.Model):
    """Projection: one rep's minutes of real learning on one day (rules in learning_time.py)."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    seconds = models.FloatField(default=0)
    statements = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "day"], name="agreements_learning_day_once")]
        indexes = [models.Index(fields=["partner", "day"])]


class LearningTimeMonth(models.Model):
    """Rollup of LearningTimeDay per rep and calendar month (``month`` is its first day)."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    seconds = models.FloatField(default=0)
    days = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "month"], name="agreements_learning_month_once")]
        indexes = [models.Index(fields=["partner", "month"])]


class ReportSent(models.Model):
    """Which digest or monthly report went to whom, so a rerun of the job never sends one twice."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("weekly compliance digest")
        MONTHLY = "monthly", _("monthly report")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "partner", "recipient", "period"], name="agreements_report_once")
        ]
