"""Plain words: the principal's glossary of terms, and the principal's target readability."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    """One word of the principal's vocabulary, in Japanese and/or English, explained plainly."""

    term_ja = models.CharField(_("term (Japanese)"), max_length=100, blank=True)
    term_en = models.CharField(_("term (English)"), max_length=100, blank=True)
    explanation_ja = models.TextField(_("plain explanation (Japanese)"), blank=True)
    explanation_en = models.TextField(_("plain explanation (English)"), blank=True)
    plain_ja = models.CharField(_("plain wording (Japanese)"), max_length=100, blank=True)
    plain_en = models.CharField(_("plain wording (English)"), max_length=100, blank=True)
    example_ja = models.TextField(_("example (Japanese)"), blank=True)
    example_en = models.TextField(_("example (English)"), blank=True)
    is_jargon = models.BooleanField(_("insider jargon"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["term_ja", "term_en"]
        constraints = [
            models.UniqueConstraint(fields=["term_ja"], condition=~Q(term_ja=""), name="plain_term_ja_unique"),
            models.UniqueConstraint(fields=["term_en"], condition=~Q(term_en=""), name="plain_term_en_unique"),
            models.CheckConstraint(condition=~Q(term_ja="") | ~Q(term_en=""), name="plain_term_named"),
        ]

    def __str__(self) -> str:
        return self.term

    def _pick(self, ja: str, en: str) -> str:
        english = (get_language() or "ja").startswith("en")
        return (en or ja) if english else (ja or en)

    @property
    def term(self) -> str:
        return self._pick(self.term_ja, self.term_en)

    @property
    def explanation(self) -> str:
        return self._pick(self.explanation_ja, self.explanation_en)

    @property
    def example(self) -> str:
        return self._pick(self.example_ja, self.example_en)

    @property
    def is_explained(self) -> bool:
        return bool(self.explanation_ja.strip() or self.explanation_en.strip())


class Target(models.Model):
    """The principal's target readability (one row): texts below it are shown as harder than wanted."""

    level_ja = models.FloatField(_("target level for Japanese (jReadability)"), default=3.5)
    level_en = models.FloatField(_("target level for English (Flesch reading ease)"), default=60.0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"ja ≥ {self.level_ja}, en ≥ {self.level_en}"


class WordQuestion(models.Model):
    """A rep's "I didn't understand this word" in a published lesson: the authors' inbox and most-asked words."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The published lesson (catalog.PublishedLesson) by id, with its titles as they were: content sits above.
    lesson_id = models.PositiveIntegerField()
    lesson_title = models.CharField(max_length=200)
    course_title = models.CharField(max_length=200, blank=True)
    word = models.CharField(max_length=50)
    sentence = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the authors were told (in a batch of new asks), and when the rep was told the word is now explained.
    authors_notified_at = models.DateTimeField(null=True, blank=True)
    explained_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["word"]),
            models.Index(fields=["-created_at"]),
            models.Index(fields=["authors_notified_at"], name="plain_wordq_unnotified"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["rep", "lesson_id", "word"], name="plain_word_question_once"),
        ]

    def __str__(self) -> str:
        return self.word
