"""Sales figures loaded per rep and month, the principal's targets, and the learning rollups derived from statements."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SalesFigure(models.Model):
    """One rep's sales figures for one month, for one product or (product empty) without a product.

    Loaded by the principal from a spreadsheet or by its CRM through the API; the same rep, month and
    product always update the one row.
    """

    class Source(models.TextChoices):
        IMPORT = "import", _("spreadsheet")
        API = "api", _("API")
        DEMO = "demo", _("demo data")

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sales_figures")
    # The rep's agency when the figures were loaded: isolation and the boards filter on it.
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("month"))
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    calls = models.PositiveIntegerField(_("calls"))
    appointments = models.PositiveIntegerField(_("appointments"))
    deals = models.PositiveIntegerField(_("deals"))
    revenue = models.PositiveBigIntegerField(_("revenue (yen)"))
    source = models.CharField(max_length=8, choices=Source.choices)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "period", "product"], condition=Q(product__isnull=False), name="kpis_figure_once"
            ),
            models.UniqueConstraint(
                fields=["rep", "period"], condition=Q(product__isnull=True), name="kpis_figure_once_no_product"
            ),
        ]
        indexes = [models.Index(fields=["partner", "period"]), models.Index(fields=["rep", "period"])]

    def __str__(self) -> str:
        return f"{self.rep_id} {self.period:%Y-%m} {self.product_id or '-'}"


class Metric(models.TextChoices):
    COMPLETION = "completion", _("Completion rate of required courses")
    AVERAGE_SCORE = "average_score", _("Average quiz score")
    APPOINTMENT_UPLIFT = "appointment_uplift", _("Appointment rate over the baseline")


class TargetKind(models.TextChoices):
    POINTS = "points", _("percentage points")
    PERCENT = "percent", _("percent of the baseline")


class KpiTarget(models.Model):
    """A target the principal sets, for one agency or (partner empty) for all of them."""

    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    metric = models.CharField(_("figure"), max_length=24, choices=Metric.choices)
    # Completion and average score: the level to reach (percent, points out of 100).
    # Appointment uplift: the rise over the baseline, in points or in percent of the baseline (kind).
    value = models.FloatField(_("target"))
    kind = models.CharField(max_length=8, choices=TargetKind.choices, default=TargetKind.POINTS)
    baseline_from = models.DateField(_("baseline from"), null=True, blank=True)
    baseline_to = models.DateField(_("baseline to"), null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "metric"], condition=Q(partner__isnull=False), name="kpis_target_once"
            ),
            models.UniqueConstraint(fields=["metric"], condition=Q(partner__isnull=True), name="kpis_target_overall"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id or 'all'} {self.metric} {self.value}"


class LearningMonth(models.Model):
    """Rollup of statements: what one rep did in one month that the KPI board and rising talent read.

    Scores are kept as sums in units of 1/10,000 so totals do not depend on the order statements commit in.
    """

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    month = models.DateField()
    quizzes = models.PositiveIntegerField(default=0)
    quiz_score_units = models.BigIntegerField(default=0)
    scenarios = models.PositiveIntegerField(default=0)
    alignment_units = models.BigIntegerField(default=0)
    roleplays = models.PositiveIntegerField(default=0)
    roleplay_score_units = models.BigIntegerField(default=0)
    roleplays_passed = models.PositiveIntegerField(default=0)
    answers_accepted = models.IntegerField(default=0)
    answers_upvoted = models.IntegerField(default=0)
    courses_completed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "month"], name="kpis_learning_month_once")]
        indexes = [models.Index(fields=["partner", "month"])]


class CourseCompletion(models.Model):
    """Rollup of statements: when a rep first finished a course (the "did learning move sales?" view)."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "course"], name="kpis_course_completion_once")]
        indexes = [models.Index(fields=["course", "partner"])]


class Recognition(models.Model):
    """Rollup of statements: a recognition a rep received for a community answer, kept so a void can undo it."""

    statement_id = models.UUIDField(unique=True)
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    kind = models.CharField(max_length=16)
    voided = models.BooleanField(default=False)


class SalesMonth(models.Model):
    """Rollup of SalesFigure: one agency's sums for one month, refreshed in the transaction of every load."""

    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    reps = models.PositiveIntegerField(default=0)
    calls = models.PositiveBigIntegerField(default=0)
    appointments = models.PositiveBigIntegerField(default=0)
    deals = models.PositiveBigIntegerField(default=0)
    revenue = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "month"], name="kpis_sales_month_once")]


class CompletionSnapshot(models.Model):
    """Rollup of the progress projections: required courses finished, per agency (team empty) and per team.

    Counting every rep's required courses costs about a second at 10,000 reps, so the board reads this
    snapshot, refreshed every few minutes by a recurring job (and at once when missing or stale).
    """

    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("orgs.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reps = models.PositiveIntegerField(default=0)
    required = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "team"], condition=Q(team__isnull=False), name="kpis_snap_team"),
            models.UniqueConstraint(fields=["partner"], condition=Q(team__isnull=True), name="kpis_snap_partner"),
        ]

    @property
    def rate(self) -> float | None:
        return 100 * self.completed / self.required if self.required else None


class Experiment(models.Model):
    """Content rolled out as an experiment (a course, a flash update, a scenario, a certification requirement: the
    rollout kinds of `catalog.rollouts`): who got it when was drawn at random, and the analysis fixed at start.

    The draw is stored per rep (`ExperimentUnit`) and recorded as statements; the preregistration (metric,
    design, estimator, period, seed) is written once at the start and never changed.
    """

    class Design(models.TextChoices):
        HOLDOUT = "holdout", _("holdout")
        WAVES = "waves", _("staggered waves")

    # What is rolled out: a rollout kind (`catalog.rollouts`) and the id of its content; a course also here.
    kind = models.CharField(max_length=16, default="course")
    content_id = models.PositiveIntegerField(null=True)
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    partners = models.ManyToManyField("orgs.Organization", related_name="+")
    metric = models.CharField(_("primary metric"), max_length=24)
    design = models.CharField(_("design"), max_length=8, choices=Design.choices)
    start = models.DateField(_("first month"))  # the first day of the period's first month
    months = models.PositiveSmallIntegerField(_("months observed"))  # the period (holdout) or waves × spacing
    held_out = models.FloatField(default=0.0)  # holdout: share of the reps who get it after the period
    waves = models.PositiveSmallIntegerField(default=0)
    spacing = models.PositiveSmallIntegerField(default=1)  # months between waves
    due_days = models.PositiveSmallIntegerField(default=28)  # a released rep's due date: release + this many days
    seed = models.BigIntegerField()
    preregistration = models.JSONField()
    planned_effect = models.FloatField(null=True)  # the MDE shown at start: scale of the sequential interval
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"experiment {self.pk} ({self.design}, {self.metric})"

    @property
    def content_title(self) -> str:
        """The title of what is rolled out (its kind's, or the id if it is gone)."""
        from kizuna.catalog.rollouts import rollout_kind

        if self.kind == "course" and self.course_id is not None:  # read with the experiment (select_related)
            course = self.course
            assert course is not None
            return course.latest_version.title if course.latest_version else course.title
        title = rollout_kind(self.kind).title(self.content_id or 0) if self.content_id else None
        return title or f"{self.kind} {self.content_id}"

    @property
    def kind_label(self) -> str:
        from kizuna.catalog.rollouts import rollout_kind

        return str(rollout_kind(self.kind).label)


class ExperimentUnit(models.Model):
    """One rep's draw in an experiment: their arm or wave, the stratum it was drawn in, and when they get the course."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="units")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("orgs.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveIntegerField()  # order in the draw (replay)
    stratum = models.CharField(max_length=120)
    group = models.CharField(max_length=16)  # "treatment" / "control", or the wave's number "1", "2", …
    release_on = models.DateField()  # the first day of the month the rep gets the course
    released_at = models.DateTimeField(null=True, blank=True)
    # What giving it made at release (the kind's handle: a catalog assignment, a scenario assignment, …).
    assignment_id = models.PositiveIntegerField(null=True, blank=True)
    statement_id = models.UUIDField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["experiment", "rep"], name="kpis_experiment_unit_once")]
        indexes = [models.Index(fields=["release_on", "released_at"])]


class ExperimentReading(models.Model):
    """A stored reading of an experiment (the result at the end, or the interim look), recomputed when its inputs
    change: `key` hashes the analysis version, the experiment's design and the data watermark (see
    `rollouts.experiment_reading_key`); a page whose key matches reads `payload` instead of recomputing."""

    class Kind(models.TextChoices):
        RESULT = "result", _("result")
        INTERIM = "interim", _("interim")

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="readings")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=64)
    payload = models.JSONField()
    seconds = models.FloatField()  # how long computing it took
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["experiment", "kind"], name="kpis_experiment_reading_once")]

    def __str__(self) -> str:
        return f"{self.experiment_id} {self.kind} {self.key[:8]}"
