"""Flash updates (速報): short news for the reps, who they reach, their one check question, and who read them.

``FlashUpdate`` and ``CheckQuestion`` are written by the authors; ``Receipt`` is a
projection of the reps' statements (seen, answered, acknowledged) and is never
written any other way; ``MailSent`` remembers which e-mails went out, so that a
retried task or a second press of the reminder button never sends one twice.
"""

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FlashUpdate(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    class Audience(models.TextChoices):
        ALL = "all", _("All partners")
        SELECTED = "selected", _("Selected partners and teams")
        # Rolled out as an experiment (kpis): only the reps it was given to one by one (`Recipient`).
        EXPERIMENT = "experiment", _("Reps drawn by an experiment")

    # Stable and not guessable: the xAPI activity IRI and the folder of the photo.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(blank=True)
    # Storage name (kizuna.ops.storage) of the cleaned JPEG, served only through the update_photo view.
    photo = models.CharField(max_length=255, blank=True)
    photo_width = models.PositiveIntegerField(null=True, blank=True)
    photo_height = models.PositiveIntegerField(null=True, blank=True)
    video = models.ForeignKey("media.Video", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="+")
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.ALL)
    partners = models.ManyToManyField("orgs.Organization", blank=True, related_name="+")
    teams = models.ManyToManyField("orgs.Team", blank=True, related_name="+")
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["status", "ack_due_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("updates:update", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_overdue(self, now: object = None) -> bool:
        return self.ack_due_at is not None and self.ack_due_at < (now or timezone.now())

    def is_overdue_for(self, person: Any, now: object = None) -> bool:
        """Past its confirm-by date for this person: never if that date had passed before they joined."""
        return self.is_overdue(now) and not joined_after(person.date_joined, self.ack_due_at)


def joined_after(date_joined: datetime, ack_due_at: datetime | None) -> bool:
    """Whether someone joined after an update's confirm-by date: it was never theirs to meet, so not overdue."""
    return ack_due_at is not None and date_joined > ack_due_at


class Recipient(models.Model):
    """One rep an update was given to on its own (per-rep targeting): an experiment's treated reps and waves.

    It reaches the rep whatever the update's audience; an update whose audience is `EXPERIMENT` reaches only these.
    """

    update = models.ForeignKey(FlashUpdate, on_delete=models.CASCADE, related_name="recipients")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "rep"], name="updates_recipient_once")]
        indexes = [models.Index(fields=["rep", "update"], name="updates_recipient_rep")]


class CheckQuestion(models.Model):
    """The one single-choice question an update may carry: 2–4 options, one of them correct."""

    update = models.OneToOneField(FlashUpdate, on_delete=models.CASCADE, related_name="question")
    text = models.CharField(_("question"), max_length=300)
    # ["option 1", "option 2", ...]; the position (1-based) is the option's id in statements.
    options = models.JSONField(default=list)
    correct = models.PositiveSmallIntegerField()
    explanation = models.TextField(_("explanation"), blank=True)

    def __str__(self) -> str:
        return self.text

    @property
    def numbered_options(self) -> list[tuple[int, str]]:
        return list(enumerate(self.options, start=1))


class Receipt(models.Model):
    """Projection: what one rep did with one update (derived from their statements only)."""

    # No single-column indexes: the unique (update, rep) and the (rep, update) index cover both lookups.
    update = models.ForeignKey(FlashUpdate, on_delete=models.CASCADE, related_name="receipts", db_index=False)
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    partner = models.ForeignKey("orgs.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    seen_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.PositiveSmallIntegerField(null=True, blank=True)
    answer_correct = models.BooleanField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "rep"], name="updates_receipt_once")]
        indexes = [models.Index(fields=["rep", "update"], name="updates_receipt_rep")]


class MailSent(models.Model):
    """One e-mail about one update to one rep: at publication, a reminder on a day, or once overdue."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("published")
        REMINDER = "reminder", _("reminder")
        OVERDUE = "overdue", _("overdue")

    update = models.ForeignKey(FlashUpdate, on_delete=models.CASCADE, related_name="+")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The day it is about: publication day, reminder day, or the acknowledge-by day for "overdue".
    on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "rep", "kind", "on"], name="updates_mail_once")]
