"""A person's data exports, and the append-only log of erasures of departed people."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataExport(models.Model):
    """One request of a person for everything Kizuna holds about them; the zip is built in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Stored under private/: served only to its owner, through an access-checked view.
    file = models.FileField(upload_to="private/exports/", max_length=255, blank=True)
    size = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["user", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M}"


class ErasureRecord(models.Model):
    """Who erased whom, when and why. Append-only: written once by person_erase, never changed or deleted."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Kept as they were at the erasure, since the person's account is anonymized by it.
    person_public_id = models.UUIDField()
    person_organization = models.CharField(max_length=200, blank=True)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    erased_by_name = models.CharField(max_length=150)
    reason = models.TextField(_("reason"))
    erased_at = models.DateTimeField(default=timezone.now)
    # {part name: rows} as shown in the preview the admin confirmed.
    summary = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_public_id} by {self.erased_by_name} at {self.erased_at:%Y-%m-%d}"
