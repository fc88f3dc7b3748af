"""The support desk: questions from agency people to the principal's operations team, and their answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Ticket(models.Model):
    """One question asked from inside the product, with the page it was asked from."""

    class Category(models.TextChoices):
        HOW_TO = "how_to", _("How do I…?")
        PROBLEM = "problem", _("Something does not work")
        ACCOUNT = "account", _("Sign-in and accounts")
        CONTENT = "content", _("Courses and content")
        AGREEMENT = "agreement", _("Agreement and learning rules")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("support status", "new")
        IN_PROGRESS = "in_progress", pgettext_lazy("support status", "in progress")
        ANSWERED = "answered", pgettext_lazy("support status", "answered")
        CLOSED = "closed", pgettext_lazy("support status", "closed")

    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The asker's agency when they asked: what the agency's manager sees, and the isolation key.
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(pgettext_lazy("support ticket", "question"))
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    screenshot = models.CharField(max_length=255, blank=True)  # a storage name, served after an access check
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    first_answered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["partner", "created_at"])]

    def __str__(self) -> str:
        return self.subject


class TicketMessage(models.Model):
    """One message of a ticket's conversation after the question: an answer, or the asker's follow-up."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_principal = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:30]}"


class HelpPage(models.Model):
    """A help page the operations team wrote (often from a frequent support question), next to the built-in ones."""

    slug = models.SlugField(max_length=80, unique=True)
    # Who sees it: a list of membership roles.
    roles = models.JSONField(default=list)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    body_ja = models.TextField(_("text (Japanese)"))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    # The Japanese search's words of both languages' title and text (community.search.tokens), kept by the service.
    search_title = models.TextField(blank=True)
    search_body = models.TextField(blank=True)
    from_ticket = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title_ja


class GuidedStart(models.Model):
    """That a person went through (or skipped) their role's guided start, and when."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16)
    skipped = models.BooleanField(default=False)
    finished_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} ({self.role})"
