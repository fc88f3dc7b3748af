"""Freshness of content: when each lesson, quiz, scenario and flash update is due for review, what it depends on,
and when an author last confirmed it still current.

The content itself stays in the app that owns it; a row here names it by kind and draft id, so marking a product
changed can flag every piece that depends on it without touching the content.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentKind(models.TextChoices):
    LESSON = "lesson", _("lesson")
    QUIZ = "quiz", _("quiz")
    SCENARIO = "scenario", _("scenario")
    FLASH_UPDATE = "flash_update", _("flash update")


class Freshness(models.Model):
    """One piece of content's review date, linked products and last confirmation."""

    kind = models.CharField(_("kind"), max_length=16, choices=ContentKind.choices)
    # The draft's id in the app that owns the kind (catalog Lesson, assessments Quiz, scenarios Scenario,
    # updates FlashUpdate).
    object_id = models.PositiveIntegerField()
    review_by = models.DateField(_("review by"), null=True, blank=True)
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+", verbose_name=_("products"))
    confirmed_at = models.DateTimeField(_("last confirmed current"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when a linked product was marked changed; cleared when an author confirms the content again.
    flagged_at = models.DateTimeField(null=True, blank=True)
    flag_reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="freshness_once_per_content")]
        indexes = [models.Index(fields=["review_by"], name="freshness_review_by")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class ProductChange(models.Model):
    """The principal marked a product changed: what changed and how much content it flagged."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("what changed"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField()
    flagged_count = models.PositiveIntegerField(default=0)
    reopened_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.product_id} {self.changed_at:%Y-%m-%d}"
