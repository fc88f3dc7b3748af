"""Incentive rules: what an agency's reps earn (in yen) for achievements, from when to when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IncentiveRule(models.Model):
    class Kind(models.TextChoices):
        CERTIFICATION_EARNED = "certification_earned", _("certification earned")
        CERTIFICATION_RENEWED = "certification_renewed", _("certification renewed")
        COURSE_ON_TIME = "course_on_time", _("required course finished on time")

    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="incentive_rules")
    kind = models.CharField(_("achievement"), max_length=32, choices=Kind.choices)
    # Empty: any certification (or any required course); a rule naming one wins over a general one.
    certification = models.ForeignKey(
        "certification.Certification",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certification"),
    )
    course = models.ForeignKey(
        "catalog.Course", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("course")
    )
    amount_yen = models.PositiveIntegerField(_("amount (yen)"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "kind", "-effective_from", "id"]
        indexes = [models.Index(fields=["partner", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ¥{self.amount_yen:,}"

    def applies_on(self, day: object) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)  # type: ignore[operator]
