"""The Q&A community: questions, answers, votes, follows and reports.

A post keeps the agency its author belonged to when writing it (``partner``; empty for the principal's
staff): visibility across agencies is decided on it. ``search_*`` hold the post's text as normalized
Japanese tokens separated by spaces (``search.tokens``), indexed by SQLite FTS5 or PostgreSQL full text.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Post(models.Model):
    """What questions and answers share: author, agency, Markdown text, one photo, edits and hiding."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(blank=True)
    # Storage name (kizuna.ops.storage) of the cleaned JPEG, served only through an access-checked view.
    image = models.CharField(max_length=255, blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Question(Post):
    title = models.CharField(_("title"), max_length=150)
    product = models.ForeignKey("catalog.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="+")
    accepted_answer = models.ForeignKey("Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answer_count = models.PositiveIntegerField(default=0)  # visible answers
    last_activity_at = models.DateTimeField(default=timezone.now)
    search_title = models.TextField(blank=True)
    search_body = models.TextField(blank=True)
    search_answers = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], name="community_q_activity"),
            models.Index(fields=["partner", "-last_activity_at"], name="community_q_partner"),
            models.Index(fields=["author", "-created_at"], name="community_q_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:community_question", args=[self.pk])


class Answer(Post):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    by_coach = models.BooleanField(default=False)
    score = models.PositiveIntegerField(default=0)  # current up-votes
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # How many times an acceptance of this answer was withdrawn: the next recognition gets a new statement id.
    accept_round = models.PositiveIntegerField(default=0)
    search_tokens = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["question", "created_at"], name="community_a_question"),
            models.Index(fields=["author", "-created_at"], name="community_a_author"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("community:community_question", args=[self.question_id]) + f"#answer-{self.pk}"


class Vote(models.Model):
    """One person's up-vote of an answer; withdrawing keeps the row (``withdrawn_at``) to number the next one."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    round = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "voter"], name="community_vote_once")]
        indexes = [models.Index(fields=["voter", "answer"], name="community_vote_voter")]


class Follow(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="community_follow_once")]
        indexes = [models.Index(fields=["user", "question"], name="community_follow_user")]


class Report(models.Model):
    """Someone's report that a post breaks the rules; moderators resolve it (hide the post or dismiss)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    # The reported post's agency, so that a manager's queue is one indexed filter.
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=16, blank=True)  # "hidden" or "dismissed"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["resolved_at", "partner"], name="community_report_open")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(question__isnull=False) | models.Q(answer__isnull=False),
                name="community_report_has_post",
            )
        ]

    @property
    def post(self) -> Question | Answer:
        return self.answer if self.answer_id else self.question  # type: ignore[return-value]
