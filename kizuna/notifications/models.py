"""In-app notifications (review requested, answer received…), also sent by e-mail when the person wants it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from kizuna.ops.quotes import nest_quotes


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # The sending app's slug for the kind ("coaching.review_requested"), for filtering and tests.
    kind = models.CharField(max_length=80)
    # English msgids, translated when shown (in the viewer's language) and when e-mailed (the recipient's).
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # Makes a send idempotent per recipient ("overdue:review:42").
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    # What the notification is about ("certification.certification", 7), so the list can show what became of it
    # (kizuna.notifications.subjects); empty for notifications about nothing that changes.
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    # When the thing it tells about happened (a history replayed late is dated as it happened).
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["recipient", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notifications_unique_dedupe_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    def _render(self, msgid: str) -> str:
        if not msgid:
            return ""
        text = gettext(msgid)
        try:
            # A title quoted in 「」 by the message may carry quotes of its own: 「『高いね』と言われたら」.
            return nest_quotes(text % self.params) if self.params else text
        except (KeyError, TypeError, ValueError):
            return text

    @property
    def title_text(self) -> str:
        return self._render(self.title)

    @property
    def body_text(self) -> str:
        return self._render(self.body)
