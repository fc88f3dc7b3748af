"""Certifications (per product or skill), the entitlements they grant, who holds them, and signed webhooks.

Definitions (Certification, Requirement, Entitlement) are the principal's. Evidence and Holding are
projections of statements (rebuildable); CertificationEvent and EntitlementEvent are the append-only
log of what happened to a rep's certification and entitlements; webhook deliveries send those events out.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Entitlement(models.Model):
    """Something a certified rep may do in the sales systems, such as "may sell product X"."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Certification(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("product")
    )
    skill = models.CharField(_("skill"), max_length=200, blank=True)
    # None: never expires.
    validity_days = models.PositiveIntegerField(_("valid for (days)"), null=True, blank=True)
    reminder_days = models.PositiveIntegerField(_("remind this many days before expiry"), default=30)
    entitlements = models.ManyToManyField(Entitlement, blank=True, related_name="certifications")
    # Empty: every partner's reps may earn it.
    partners = models.ManyToManyField("orgs.Organization", blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("finish a course")
        # A quiz's score, or a scored lesson's (a SCORM package or cmi5 course: catalog.kinds `scored`).
        QUIZ = "quiz", _("score in a quiz or package")
        ROLEPLAY = "roleplay", _("pass a roleplay")

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The quiz's key, or a scored lesson's key (its evidence is the lesson's passed/failed, by the same key).
    quiz_key = models.UUIDField(null=True, blank=True)
    roleplay_id = models.PositiveIntegerField(null=True, blank=True)
    # The roleplay's activity IRI (as the coaching app records its results), matched against evidence.
    roleplay_iri = models.CharField(max_length=500, blank=True)
    # The title when it was added, for lists (the content app owns the real one).
    label = models.CharField(max_length=200)
    min_score = models.PositiveSmallIntegerField(_("minimum score (%)"), default=0)
    # Set when a reopening named this requirement: only evidence from then on counts.
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_in_version = models.PositiveIntegerField(default=1)
    # Applies only to the reps it was given to one by one (`RequirementRep`): rolled out as an experiment, it
    # applies to a wave's reps from their wave's month, and to the others not yet.
    targeted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.label


class RequirementRep(models.Model):
    """A targeted requirement given to one rep: from `added_at` it counts in their certification."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="reps")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement", "rep"], name="certification_requirement_rep_once")
        ]


class Reopening(models.Model):
    """A new version of a certification: which requirements holders must redo, and why."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="reopenings")
    version = models.PositiveIntegerField()
    reason = models.TextField(_("reason"))
    requirement_labels = models.JSONField(default=list)
    reopened_at = models.DateTimeField()
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-version"]


class Evidence(models.Model):
    """Projection: one statement that can meet a requirement (a lesson or course finished, a quiz or roleplay result)."""

    class Kind(models.TextChoices):
        LESSON = "lesson", "lesson"
        COURSE = "course", "course"
        QUIZ = "quiz", "quiz"
        ROLEPLAY = "roleplay", "roleplay"

    statement_id = models.UUIDField(unique=True)
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    course_id = models.BigIntegerField(null=True, blank=True)
    version_id = models.BigIntegerField(null=True, blank=True)
    lesson_id = models.BigIntegerField(null=True, blank=True)
    # Quiz: the quiz's key; roleplay: the activity IRI.
    ref = models.CharField(max_length=500, blank=True)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["rep", "kind"])]


class Holding(models.Model):
    """Projection: one rep's standing in one certification, derived from evidence and the definition."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        CERTIFIED = "certified", _("certified")
        EXPIRED = "expired", _("expired")
        SUSPENDED = "suspended", _("suspended until redone")

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="holdings")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    certified_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    met = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "certification"], name="certification_holding_once")]
        indexes = [models.Index(fields=["partner", "status"])]


class CertificationEvent(models.Model):
    """Log: a rep earned, renewed, lost or got back a certification."""

    class Kind(models.TextChoices):
        EARNED = "earned", _("earned")
        RENEWED = "renewed", _("renewed")
        EXPIRED = "expired", _("expired")
        SUSPENDED = "suspended", _("suspended (reopened)")
        RESTORED = "restored", _("restored")

    event_id = models.UUIDField(unique=True, default=uuid.uuid4)
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["partner", "kind", "at"])]


class EntitlementEvent(models.Model):
    """Log: an entitlement granted to, expired for or revoked from a rep; each one is a webhook event."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("granted")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", pgettext_lazy("entitlement event", "revoked")

    event_id = models.UUIDField(unique=True, default=uuid.uuid4)
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    entitlement = models.ForeignKey(Entitlement, on_delete=models.CASCADE, related_name="events")
    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]


class WebhookEndpoint(models.Model):
    EVENTS = ("entitlement.granted", "entitlement.expired", "entitlement.revoked")

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Kept to sign each body; shown to the admin once, when the endpoint is made or its secret rotated.
    secret = models.CharField(max_length=80)
    # The secret before the last rotation: deliveries are signed with both until the admin retires it,
    # so the receiver can switch to the new one without missing events.
    previous_secret = models.CharField(max_length=80, blank=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to retry")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("gave up")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=60)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="certification_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    replay = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]
