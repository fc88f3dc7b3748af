"""Live sessions: when and where they happen, who they are for, who registered and who attended."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveSession(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    # The organiser's time zone: the start is entered and shown in it.
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tokyo")
    join_url = models.URLField(_("join link"), max_length=500)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    waitlist = models.BooleanField(_("waiting list when full"), default=False)
    open_to_all = models.BooleanField(_("open to every rep"), default=False)
    # Shown by the host during the session; reps type it to check in.
    checkin_code = models.CharField(max_length=8)
    # iCalendar SEQUENCE: raised on every change, so calendars replace the old invitation.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    recording_video = models.ForeignKey(
        "media.Video", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recording_course = models.ForeignKey(
        "catalog.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class LiveAudience(models.Model):
    """A session assigned to a whole partner, one team, or one rep."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="audience")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("orgs.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["partner", "session"])]

    def __str__(self) -> str:
        return str(self.rep or self.team or self.partner)


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class Source(models.TextChoices):
        CHECKIN = "checkin", _("checked in")
        UPLOAD = "upload", _("attendance list")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="registrations")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_registrations")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices)
    registered_at = models.DateTimeField()
    attended_at = models.DateTimeField(null=True, blank=True)
    attendance_source = models.CharField(max_length=16, choices=Source.choices, blank=True)

    class Meta:
        ordering = ["registered_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "rep"], name="live_registration_once")]
        indexes = [models.Index(fields=["session", "status"]), models.Index(fields=["partner", "session"])]

    def __str__(self) -> str:
        return f"{self.rep_id} → {self.session_id} ({self.status})"
