"""The agencies' own success stories: a manager or coach nominates a rep's success, the rep consents and answers a
short interview on the phone, an author turns it into a "partner success" lesson, and publishing credits the rep."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SuccessStory(models.Model):
    class Source(models.TextChoices):
        KPI = "kpi", _("KPI board")
        RISING_TALENT = "rising_talent", _("Rising talent")
        FIELD_VOICE = "field_voice", _("Field voice")
        MANUAL = "manual", _("By hand")
        ROLEPLAY_TAKE = "roleplay_take", _("Model roleplay take")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Waiting for the rep")
        DECLINED = "declined", _("Declined by the rep")
        CONSENTED = "consented", _("Interview not answered yet")
        INTERVIEWED = "interviewed", _("Interview answered")
        DRAFTED = "drafted", _("Lesson drafted")
        PUBLISHED = "published", pgettext_lazy("success story", "Published")

    class Credit(models.TextChoices):
        NAME = "name", _("My name and agency")
        AGENCY = "agency", _("My agency only")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The rep's agency when nominated: the isolation key.
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    source = models.CharField(_("found on"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    # What the nominator saw there (a KPI figure, the field voice entry's words), shown to the rep and the author.
    source_note = models.CharField(_("what they saw"), max_length=500, blank=True)
    headline = models.CharField(_("the success in one line"), max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOMINATED)
    nominated_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)  # consent given or declined
    credit = models.CharField(_("credit"), max_length=16, choices=Credit.choices, blank=True)
    # The interview.
    situation = models.TextField(_("What was the situation?"), blank=True)
    tried = models.TextField(_("What did you try?"), blank=True)
    worked = models.TextField(_("What worked?"), blank=True)
    advice = models.TextField(_("What would you tell a colleague?"), blank=True)
    # The recording: on camera, or voice only (then shown with a still picture); what was said, written out.
    video = models.ForeignKey("media.Video", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    voice_only = models.BooleanField(default=False)
    transcript = models.TextField(_("What you said in the recording (transcript)"), blank=True)
    interviewed_at = models.DateTimeField(null=True, blank=True)
    # The lesson made from it.
    course = models.ForeignKey("catalog.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    credited_as = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-nominated_at", "-id"]
        indexes = [models.Index(fields=["partner", "status"]), models.Index(fields=["status", "nominated_at"])]
        verbose_name_plural = "success stories"

    def __str__(self) -> str:
        return self.headline
