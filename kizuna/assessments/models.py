"""Question banks, quizzes and their immutable published versions; attempts, item statistics and review cards.

Authors edit QuestionBank, Question, Quiz and QuizItem. Publishing a quiz freezes its
settings and the full data of every question it may show into a QuizVersion, which
never changes again. Everything below the line "projections" is derived from
statements (kizuna.assessments.projections) and can be rebuilt from them.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.versions import PublishedVersion


class QuestionBank(models.Model):
    """The author's questions about one product or topic."""

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="question_banks"
    )
    topics = models.ManyToManyField("catalog.Tag", blank=True, related_name="question_banks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A hidden bank that holds a GIFT import's questions until it is published (GiftImport): nobody sees it.
    staging = models.BooleanField(default=False)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question; its type's details live in ``data`` (see kizuna.assessments.types)."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    # Stable across edits, exports and imports (GIFT `// [id:…]`), and the xAPI activity id.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=20)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("question (Markdown)"))
    explanation = models.TextField(_("explanation (Markdown)"), blank=True)
    data = models.JSONField(default=dict)
    topics = models.ManyToManyField("catalog.Tag", blank=True, related_name="questions")
    # Where it sits in the bank's hierarchy of categories, "製品/料金/割引" ("//" is a slash in a name); GIFT $CATEGORY.
    category = models.CharField(_("category"), max_length=1000, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Archived questions stay for the records and snapshots, but are no longer drawn or reviewed.
    archived_at = models.DateTimeField(null=True, blank=True)
    # In a staging bank only: the question of the target bank that this staged copy will update when published.
    replaces = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["bank", "position", "id"]
        indexes = [models.Index(fields=["bank", "archived_at"])]

    def __str__(self) -> str:
        return self.title or self.text[:60]


class GiftImport(models.Model):
    """A GIFT file on its way into a bank: checked whole, staged in a hidden bank in short batches, published at once.

    The import runs as a background task (kizuna.assessments.tasks) that may be run again after its
    worker died: ``staged`` counts the questions already in the staging bank, and the states only move
    forward through conditional updates, so it resumes where it stopped and never publishes twice.
    """

    class State(models.TextChoices):
        CHECKING = "checking", _("checking the file")
        STAGING = "staging", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("refused")
        CANCELLED = "cancelled", _("cancelled")

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, null=True, blank=True, related_name="imports")
    # The target's code: the command's bank is created only when the import is published.
    bank_slug = models.CharField(max_length=80)
    staging_bank = models.ForeignKey(QuestionBank, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.CHECKING)
    source = models.TextField(blank=True)  # the GIFT text; emptied once the import is over
    language = models.CharField(max_length=10, default="ja")  # of the error messages
    total = models.PositiveIntegerField(default=0)  # questions in the file (known once checked)
    staged = models.PositiveIntegerField(default=0)  # questions in the staging bank so far
    counts = models.JSONField(default=dict)  # question type → how many
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [[line, message], …] when refused
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.bank_slug} #{self.pk} ({self.state})"

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.STAGING)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(self.staged * 100 / self.total) if self.total else 0


class Quiz(models.Model):
    """The author's working copy of a quiz (a quiz lesson, or a micro lesson's check questions)."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    allowed_attempts = models.PositiveSmallIntegerField(_("allowed attempts (0 = unlimited)"), default=0)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    # The check questions of a micro lesson: at most MICRO_MAX_QUESTIONS (services), offered first for micro lessons.
    micro = models.BooleanField(_("check questions of a micro lesson"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    latest_version = models.ForeignKey(
        "QuizVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class QuizItem(models.Model):
    """One line of a quiz: a fixed question, or "N random questions from a bank (with a topic)"."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("fixed question")
        DRAW = "draw", _("random questions")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    topic = models.ForeignKey("catalog.Tag", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.position}"

    @property
    def question_count(self) -> int:
        return 1 if self.kind == self.Kind.FIXED else self.count


class QuizVersion(PublishedVersion):
    """An immutable published snapshot of a quiz: its settings and the full data of its questions."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="versions")
    pass_mark = models.PositiveSmallIntegerField()
    allowed_attempts = models.PositiveSmallIntegerField()
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    shuffle_options = models.BooleanField()
    shuffle_questions = models.BooleanField()
    question_count = models.PositiveSmallIntegerField()
    # [{"kind": "fixed", "key": …} | {"kind": "draw", "count": n, "pool": [keys…]}] in quiz order.
    items = models.JSONField()
    # {key: {"type", "title", "text", "text_html", "explanation", "explanation_html", "data", "topics"}}
    questions = models.JSONField()
    # A hash of everything above, so republishing an unchanged quiz returns this version.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["quiz", "-number"]
        constraints = [models.UniqueConstraint(fields=["quiz", "number"], name="assessments_quiz_version_unique")]


# --- Projections (derived from statements; kizuna.assessments.projections) ---------------------------------


class Attempt(models.Model):
    """Projection: one rep's attempt at a published quiz, from `attempted` to `completed`."""

    key = models.UUIDField(unique=True)  # the statements' context.registration
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    quiz_version = models.ForeignKey(QuizVersion, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey(
        "catalog.PublishedLesson", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    number = models.PositiveIntegerField()
    # [{"key": question key, "order": [option ids as shown]}] — what this attempt shows, in order.
    layout = models.JSONField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    start_statement = models.UUIDField(unique=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submit_statement = models.UUIDField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)  # 0..1
    passed = models.BooleanField(null=True, blank=True)
    # Submitted with essays that a coach or the rep's manager has still to grade: no score until they have.
    grading_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["rep", "quiz", "lesson"]),
            models.Index(fields=["partner", "submitted_at"]),
            models.Index(fields=["grading_pending", "partner"]),
        ]

    def __str__(self) -> str:
        return f"{self.rep_id} {self.quiz_version} #{self.number}"

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)


class AttemptAnswer(models.Model):
    """Projection: the latest saved answer to one question of an attempt."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question_key = models.UUIDField()
    answer = models.JSONField()
    response = models.TextField(blank=True)  # xAPI result.response
    score = models.FloatField()
    correct = models.BooleanField()
    seconds = models.FloatField(null=True, blank=True)
    answered_at = models.DateTimeField()
    statement_seq = models.BigIntegerField()
    # An essay's grade (services.grading): who, when, the rubric level per criterion id, and the feedback.
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    rubric_levels = models.JSONField(default=dict, blank=True)
    feedback = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question_key"], name="assessments_attempt_answer_once")
        ]


class ItemStat(models.Model):
    """Projection: one question's results in submitted quiz attempts of one partner (final answers only).

    Sums rather than rows, so item analysis over any number of answers is a small aggregate:
    x is the question's score, y the mean score of the rest of the attempt (point-biserial).
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="item_stats")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    answered = models.PositiveIntegerField(default=0)  # attempts that showed it
    blank = models.PositiveIntegerField(default=0)  # … and were submitted without an answer to it
    correct = models.PositiveIntegerField(default=0)
    score_sum = models.BigIntegerField(default=0)  # in units of 1/SCALE (projections.SCALE)
    # Pairs (x, y) of attempts with at least one other question, in units of 1/SCALE.
    pairs = models.PositiveIntegerField(default=0)
    x_sum = models.BigIntegerField(default=0)
    x2_sum = models.BigIntegerField(default=0)
    y_sum = models.BigIntegerField(default=0)
    y2_sum = models.BigIntegerField(default=0)
    xy_sum = models.BigIntegerField(default=0)
    # {option id: times chosen} (see QuestionType.answer_options)
    option_counts = models.JSONField(default=dict)
    last_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "partner"], name="assessments_item_stat_once")]


class TopicWeek(models.Model):
    """Projection: one rep's answers on one topic in one week (starting Monday), for weak topics."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    topic = models.ForeignKey("catalog.Tag", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    score_sum = models.BigIntegerField(default=0)  # in units of 1/SCALE

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "topic", "week"], name="assessments_topic_week_once")]
        indexes = [models.Index(fields=["partner", "week"]), models.Index(fields=["rep", "week"])]


class ReviewCard(models.Model):
    """Projection: the FSRS card of one question for one rep (kizuna.assessments.spacing)."""

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    state = models.PositiveSmallIntegerField()  # fsrs.State
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rep", "question"], name="assessments_review_card_once")]
        indexes = [models.Index(fields=["rep", "due"])]
