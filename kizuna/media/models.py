"""Uploaded videos and what the pipeline made of them."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _upload_path(instance: "Video", filename: str) -> str:
    # Never the user's file name: paths are not guessable and carry no personal data.
    return f"videos/{instance.key}/original"


class Video(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", _("processing")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    original = models.FileField(upload_to=_upload_path, max_length=255)

    class Failure(models.TextChoices):
        """Why a video failed, in words for the person who uploaded it (`error` holds the details)."""

        UNREADABLE = "unreadable", _("The file could not be read as a video.")
        CONVERSION = "conversion", _("The conversion stopped with an error.")
        TIMEOUT = "timeout", _("The conversion took too long and was stopped.")
        STORAGE = "storage", _("The server could not store the converted video (for example, its disk is full).")
        INTERRUPTED = "interrupted", _("The conversion was interrupted too many times (the server restarted).")

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    failure = models.CharField(max_length=16, choices=Failure.choices, blank=True)
    error = models.TextField(blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    mp4 = models.FileField(max_length=255, blank=True)
    poster = models.FileField(max_length=255, blank=True)
    # Adaptive streaming (HLS), made after the MP4: the master playlist's name once every rendition is stored,
    # the renditions [{"name": "360p", "width": 640, "height": 360, "bandwidth": 655600}, ...] smallest first,
    # and the smallest rendition as one MP4 for phones (saved for offline).
    hls_master = models.FileField(max_length=255, blank=True)
    hls_renditions = models.JSONField(default=list, blank=True)
    phone_mp4 = models.FileField(max_length=255, blank=True)
    hls_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("media:video_detail", args=[self.pk])

    @property
    def label(self) -> str:
        """The title, or for an untitled video when it was uploaded: never its key (pickers and lists show this)."""
        if self.title:
            return self.title
        uploaded = date_format(timezone.localtime(self.created_at), "SHORT_DATE_FORMAT") if self.created_at else ""
        return (
            gettext("Untitled video (uploaded %(date)s)") % {"date": uploaded}
            if uploaded
            else gettext("Untitled video")
        )

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def duration_label(self) -> str:
        """Return the length as m:ss (h:mm:ss past an hour), or "" before it is known."""
        if self.duration_seconds is None:
            return ""
        total = round(self.duration_seconds)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
