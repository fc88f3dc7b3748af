"""Field voice (what customers ask, object to, and hear from competitors) and reps' feedback on lessons.

Both are written by the reps (and recorded as statements, vocab.py) and then worked on by the
principal's staff: a field voice entry is answered or turned into content, a lesson feedback is
handled with a note of what changed. The staff side is state, not a projection of statements.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FieldVoice(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Customer question")
        OBJECTION = "objection", _("Objection")
        COMPETITOR = "competitor", _("Competitor offer")

    class DealStage(models.TextChoices):
        FIRST_CONTACT = "first_contact", _("First contact")
        HEARING = "hearing", _("Needs hearing")
        PROPOSAL = "proposal", _("Proposal")
        NEGOTIATION = "negotiation", _("Quote and negotiation")
        CLOSING = "closing", _("Closing")
        AFTER_SALE = "after_sale", _("After the sale")

    class Industry(models.TextChoices):
        MANUFACTURING = "manufacturing", _("Manufacturing")
        RETAIL = "retail", _("Retail and distribution")
        IT = "it", _("IT and telecom")
        FINANCE = "finance", _("Finance and insurance")
        HEALTHCARE = "healthcare", _("Healthcare and care")
        REAL_ESTATE = "real_estate", _("Construction and real estate")
        SERVICES = "services", _("Restaurants and services")
        PUBLIC = "public", _("Public sector and education")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", pgettext_lazy("field voice", "Answered")
        CONTENT = "content", _("Turned into content")

    class ContentKind(models.TextChoices):
        UPDATE = "update", _("flash update")
        LESSON = "lesson", _("lesson")
        SCENARIO = "scenario", _("scenario moment")

    # Stable and not guessable: the xAPI activity IRI.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The id of the rep's submission (the form makes it), so a double tap records one entry.
    submission_id = models.UUIDField(unique=True)
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The rep's agency when they recorded it: partner-scoped reads filter on it.
    partner = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("what you heard"))
    # The text folded for grouping (width, case, punctuation and spaces removed): the report counts by it.
    normalized = models.CharField(max_length=200)
    product = models.ForeignKey("catalog.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="+")
    deal_stage = models.CharField(_("deal stage"), max_length=16, choices=DealStage.choices, blank=True)
    industry = models.CharField(_("customer industry"), max_length=16, choices=Industry.choices, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    content_kind = models.CharField(max_length=16, choices=ContentKind.choices, blank=True)
    content_title = models.CharField(max_length=200, blank=True)
    # Where the staff find the draft that was made (a path); reps never get a link to a draft.
    content_url = models.CharField(max_length=300, blank=True)
    content_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_at"], name="feedback_voice_created"),
            models.Index(fields=["partner", "created_at"], name="feedback_voice_partner"),
            models.Index(fields=["rep", "created_at"], name="feedback_voice_rep"),
            models.Index(fields=["status", "created_at"], name="feedback_voice_status"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class LessonFeedback(models.Model):
    """One rep's "this worked / did not work with customers" on one published lesson (one version of it)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    lesson = models.ForeignKey("catalog.PublishedLesson", on_delete=models.CASCADE, related_name="+")
    # The lesson across versions, so an author's inbox groups every version's feedback together.
    lesson_key = models.UUIDField()
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    worked = models.BooleanField(_("worked with customers"))
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    handled_note = models.TextField(_("what changed"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rep", "lesson"], name="feedback_lesson_once")]
        indexes = [
            models.Index(fields=["lesson_key", "status"], name="feedback_lesson_key"),
            models.Index(fields=["status", "updated_at"], name="feedback_lesson_status"),
        ]

    def __str__(self) -> str:
        return f"{self.rep_id} → {self.lesson_id}"

    @property
    def is_handled(self) -> bool:
        return self.status == self.Status.HANDLED
