"""Gamification: the principal's rules, levels and badges; the points projections derived from statements;
and what lives outside the projections (revocations, kudos, spotlight, what each rep has been shown)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

BADGE_NAMESPACE = uuid.UUID("6f1c2a9e-4b1d-4c7e-9a51-1b0f5e2d7c11")


class EventKind(models.TextChoices):
    LESSON_COMPLETED = "lesson_completed", _("Lesson completed")
    COURSE_FINISHED = "course_finished", _("Course finished")
    QUIZ_PASSED = "quiz_passed", _("Quiz passed (first pass)")
    PERFECT_SCORE = "perfect_score", _("Perfect quiz score")
    SCENARIO_ALIGNED = "scenario_aligned", _("Scenario aligned with the top rep")
    REVIEW_GIVEN = "review_given", _("Roleplay review given")
    HELPFUL_ANSWER = "helpful_answer", _("Helpful answer")
    STREAK_DAY = "streak_day", _("Daily streak")
    LIVE_ATTENDED = "live_attended", _("Live session attended")
    SUCCESS_STORY = "success_story", _("Success story published")


class PointRule(models.Model):
    """Points for one kind of event, with a daily cap against farming."""

    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices, unique=True)
    points = models.PositiveIntegerField(_("points"), default=0)
    daily_cap = models.PositiveIntegerField(
        _("daily cap"), default=0, help_text=_("How many times a day a rep can earn these points (0 = no cap).")
    )
    threshold = models.FloatField(
        _("threshold"),
        default=0,
        help_text=_("Scenario: the minimum top-rep alignment (0–1). Daily streak: the days in a row before points."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.points}"


class Level(models.Model):
    number = models.PositiveIntegerField(_("level"), unique=True)
    threshold = models.PositiveIntegerField(_("points needed"))
    name_ja = models.CharField(_("name (Japanese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)

    class Meta:
        ordering = ["threshold"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ja


class Badge(models.Model):
    """A badge class: what earns it, its image, its description (published as an Open Badges 2.0 BadgeClass)."""

    class Criterion(models.TextChoices):
        EVENTS = "events", _("Number of events of a kind")
        POINTS = "points", _("Total points")
        STREAK = "streak", _("Days in a row")
        COURSE = "course", _("Finishing a course")
        QUIZ_SCORE = "quiz_score", _("A quiz score of at least (%)")

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_ja = models.TextField(_("description (Japanese)"))
    description_en = models.TextField(_("description (English)"))
    criterion = models.CharField(pgettext_lazy("badge", "criterion"), max_length=16, choices=Criterion.choices)
    event_kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices, blank=True)
    amount = models.PositiveIntegerField(_("amount"), default=1)
    course = models.ForeignKey(
        "catalog.Course", verbose_name=_("course"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    image = models.FileField(_("image"), upload_to="badges/", blank=True)
    color = models.CharField(max_length=7, default="#1d4e89")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.slug

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ja

    @property
    def description(self) -> str:
        return self.description_en if get_language() == "en" else self.description_ja


# --- Projections (rebuilt from statements) -------------------------------------------------------------------


class PointAward(models.Model):
    """Projection: the points ledger, one row per awarding statement and kind."""

    statement_id = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, related_name="+")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    # What the points are for (a lesson, a quiz, a day…): each is rewarded once.
    ref = models.CharField(max_length=500)
    points = models.PositiveIntegerField()
    awarded_at = models.DateTimeField()
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement_id", "kind"], name="gamification_award_once_per_statement"),
            models.UniqueConstraint(fields=["user", "kind", "ref"], name="gamification_award_once_per_ref"),
        ]
        indexes = [models.Index(fields=["user", "kind", "day"]), models.Index(fields=["user", "awarded_at"])]


class RepScore(models.Model):
    """Projection: one person's totals, level, streak and event counts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="gamification_score"
    )
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, related_name="+")
    points = models.IntegerField(default=0)
    level = models.PositiveIntegerField(default=0)
    streak = models.PositiveIntegerField(default=0)
    best_streak = models.PositiveIntegerField(default=0)
    last_day = models.DateField(null=True)
    badges = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["partner", "-points"]), models.Index(fields=["-points"])]


class PeriodScore(models.Model):
    """Projection: one person's points in one ISO week or calendar month, for the rankings."""

    class Period(models.TextChoices):
        WEEK = "w", _("week")
        MONTH = "m", _("month")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, related_name="+")
    period = models.CharField(max_length=1, choices=Period.choices)
    start = models.DateField()
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "start"], name="gamification_period_once"),
        ]
        indexes = [
            models.Index(fields=["period", "start", "partner", "-points"]),
            models.Index(fields=["period", "start", "-points"]),
        ]


class BadgeAward(models.Model):
    """Projection: a badge a person earned (its Open Badges assertion id is derived from person and badge)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, related_name="+")
    statement_id = models.UUIDField()
    awarded_at = models.DateTimeField()
    # The Open Badges assertion id, derived from person and badge: the same after every rebuild.
    assertion = models.UUIDField(unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "badge"], name="gamification_badge_once")]
        ordering = ["-awarded_at"]


def assertion_uuid(user_id: int, badge_id: int) -> uuid.UUID:
    """The stable Open Badges assertion id of a person's badge: the same after every rebuild."""
    return uuid.uuid5(BADGE_NAMESPACE, f"{user_id}:{badge_id}")


# --- Kept outside the projections ----------------------------------------------------------------------------


class BadgeRevocation(models.Model):
    """A revoked badge award; it survives rebuilds and its assertion answers revoked: true."""

    assertion = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="revocations")
    reason = models.CharField(_("reason"), max_length=300)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(auto_now_add=True)


class Celebration(models.Model):
    """What a person has already been congratulated for (their points, level and badges when last shown)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="gamification_seen"
    )
    points = models.IntegerField(default=0)
    level = models.PositiveIntegerField(default=0)
    badges = models.PositiveIntegerField(default=0)


class Kudos(models.Model):
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_received")
    message = models.CharField(_("message"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]


class Spotlight(models.Model):
    """A rep the principal chose for a month's spotlight."""

    month = models.DateField()
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("why"), max_length=300)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "rep"], name="gamification_spotlight_once")]
        ordering = ["-month", "created_at"]
