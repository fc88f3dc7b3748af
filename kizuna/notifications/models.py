"""In-app notifications (review requested, answer received…), also sent by e-mail when the person wants it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from kizuna.ops.quotes import nest_quotes


def render_message(msgid: str, params: dict | None) -> str:
    """Return an English msgid translated into the active language and formatted with its params."""
    if not msgid:
        return ""
    text = gettext(msgid)
    try:
        # A title quoted in 「」 by the message may carry quotes of its own: 「『高いね』と言われたら」.
        return nest_quotes(text % params) if params else text
    except (KeyError, TypeError, ValueError):
        return text


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
        return render_message(msgid, self.params)

    @property
    def title_text(self) -> str:
        return self._render(self.title)

    @property
    def body_text(self) -> str:
        return self._render(self.body)


class PushSubscription(models.Model):
    """One browser (phone) that receives this person's Web Push notifications (the Push API's subscription)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    # The push service's URL for this browser; a browser has one, whoever signed in last on it owns it.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=120)  # the browser's ECDH public key (base64url), RFC 8291
    auth = models.CharField(max_length=40)  # the browser's auth secret (base64url), RFC 8291
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"push → {self.user_id}"


class PushPreferences(models.Model):
    """What a person wants pushed to their phone (each kind switchable) and when not (quiet hours, local time)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_preferences")
    assignments = models.BooleanField(default=True)
    updates = models.BooleanField(default=True)
    review = models.BooleanField(default=True)
    community = models.BooleanField(default=True)
    coaching = models.BooleanField(default=True)
    # Nothing is pushed from quiet_start to quiet_end (wrapping midnight when start > end); held until the end.
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"push preferences of {self.user_id}"
