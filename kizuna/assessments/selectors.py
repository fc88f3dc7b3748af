"""Reads: banks and quizzes for authors; attempts, results, reviews, weak topics, retention and item analysis.

Everything about people goes through kizuna.orgs.access: a rep sees their own, a
partner manager their agency's reps, the principal's admin and coaches everyone;
authors see aggregates only. Whatever someone may not see answers 404.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.markdown import render_markdown
from kizuna.catalog.models import Tag
from kizuna.catalog.selectors import topic_tags
from kizuna.orgs.access import (
    Role,
    access_partner_for_user,
    access_rep_for_user,
    access_team_for_user,
    can_author,
    has_role,
    is_principal_staff,
    membership_of,
    visible_partners,
    visible_reps,
)

from . import spacing
from .gift import GiftQuestion, gift_write
from .models import (
    Attempt,
    GiftImport,
    ItemStat,
    Question,
    QuestionBank,
    Quiz,
    QuizItem,
    QuizVersion,
    ReviewCard,
    TopicWeek,
)
from .projections import SCALE
from .published import snapshot_question
from .types import question_type
from .types.base import QuestionType

REVIEW_LIMIT = 10  # today's 3-minute review
WEAK_TOPIC_WEEKS = 12
WEAK_TOPIC_MIN_ANSWERS = 3
ITEM_MIN_ANSWERS = 20  # below this, item statistics are too noisy to flag anything


# --- Authoring ---------------------------------------------------------------------------------------------


def can_view_content(user: Any) -> bool:
    """Whether the person may read question banks and quizzes: authors and admins edit them, coaches read them."""
    return has_role(user, Role.ADMIN, Role.AUTHOR, Role.COACH)


def banks_all() -> QuerySet[QuestionBank]:
    """The banks authors see (never the hidden staging banks of running GIFT imports)."""
    return (
        QuestionBank.objects.filter(staging=False)
        .select_related("product")
        .annotate(question_count=Count("questions", filter=Q(questions__archived_at__isnull=True)))
    )


def access_bank_for_user(user: Any, bank_id: int) -> QuestionBank:
    """A bank for someone who may read content (admin, author, coach), or 404; editing also needs can_author."""
    if not can_view_content(user):
        raise Http404
    try:
        return banks_all().get(pk=bank_id)
    except (QuestionBank.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def bank_questions(bank: QuestionBank, *, archived: bool = False) -> QuerySet[Question]:
    return bank.questions.filter(archived_at__isnull=not archived).prefetch_related("topics")


def access_question_for_user(user: Any, question_id: int) -> Question:
    if not can_view_content(user):
        raise Http404
    try:
        return (
            Question.objects.select_related("bank").prefetch_related("topics").get(pk=question_id, bank__staging=False)
        )
    except (Question.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_gift_import_for_user(user: Any, import_id: int) -> GiftImport:
    """A GIFT import (of a bank the person may read), or 404."""
    if not can_view_content(user):
        raise Http404
    try:
        # Without its source (up to 4 MB): the status part is fetched every second while the import runs.
        return GiftImport.objects.select_related("bank").defer("source").get(pk=import_id)
    except (GiftImport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def gift_imports_running(bank: QuestionBank) -> list[GiftImport]:
    """The bank's GIFT imports still being checked or staged (their questions are not in the bank yet)."""
    running = (GiftImport.State.CHECKING, GiftImport.State.STAGING)
    return list(bank.imports.filter(state__in=running).defer("source", "errors").order_by("created_at"))


def quizzes_all() -> QuerySet[Quiz]:
    return Quiz.objects.select_related("latest_version").prefetch_related("items")


def access_quiz_for_user(user: Any, quiz_id: int) -> Quiz:
    if not can_view_content(user):
        raise Http404
    try:
        return quizzes_all().get(pk=quiz_id)
    except (Quiz.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def quiz_items(quiz: Quiz) -> list[QuizItem]:
    return list(quiz.items.select_related("question", "bank", "topic").prefetch_related("question__topics"))


def bank_questions_filtered(
    bank: QuestionBank, *, type: str = "", topic: Tag | None = None, archived: bool = False
) -> QuerySet[Question]:
    """The bank's questions of one type and/or topic (the bank page's filter)."""
    questions = bank_questions(bank, archived=archived)
    if type:
        questions = questions.filter(type=type)
    if topic is not None:
        questions = questions.filter(topics=topic)
    return questions


def bank_topics(bank: QuestionBank) -> QuerySet[Tag]:
    """The topic tags of the bank's questions (for its filter)."""
    return topic_tags().filter(questions__bank=bank).distinct()


def access_quiz_item_for_user(user: Any, item_id: int) -> QuizItem:
    """One line of a quiz, for someone who may edit quizzes, or 404."""
    if not can_author(user):
        raise Http404
    try:
        return QuizItem.objects.select_related("quiz").get(pk=item_id)
    except (QuizItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def quiz_fixed_question_ids(quiz: Quiz) -> set[int]:
    """The ids of the questions already fixed in the quiz (the picker greys them out)."""
    return set(quiz.items.filter(kind=QuizItem.Kind.FIXED).values_list("question_id", flat=True))


def quizzes_with_results() -> QuerySet[Quiz]:
    """The published quizzes, with how many attempts were submitted and when the last one was (1 query)."""
    submitted = Q(attempts__submitted_at__isnull=False)
    return (
        Quiz.objects.filter(latest_version__isnull=False)
        .select_related("latest_version")
        .annotate(submitted=Count("attempts", filter=submitted), last_at=Max("attempts__submitted_at"))
        .order_by(F("last_at").desc(nulls_last=True), "title")
    )


@dataclass(frozen=True)
class VersionSummary:
    version: QuizVersion
    attempts: int  # submitted
    passed: int
    mean_score: float | None  # 0..1

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.attempts if self.attempts else None

    @property
    def pass_percent(self) -> int | None:
        return None if self.pass_rate is None else round(self.pass_rate * 100)

    @property
    def mean_percent(self) -> int | None:
        return None if self.mean_score is None else round(self.mean_score * 100)


def quiz_version_summaries(quiz: Quiz) -> list[VersionSummary]:
    """Each published version of the quiz, newest first, with its submitted attempts, passes and mean score.

    Two queries: the attempts are aggregated on their own (grouping them with the versions would drag each
    version's frozen questions through the sort), and the versions come without their frozen questions.
    """
    figures = {
        row["quiz_version_id"]: row
        for row in Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False)
        .values("quiz_version_id")
        .annotate(n=Count("id"), p=Count("id", filter=Q(passed=True)), mean=Avg("score"))
    }
    versions = quiz.versions.defer("items", "questions").order_by("-number")
    empty = {"n": 0, "p": 0, "mean": None}
    return [
        VersionSummary(
            v, figures.get(v.pk, empty)["n"], figures.get(v.pk, empty)["p"], figures.get(v.pk, empty)["mean"]
        )
        for v in versions
    ]


def quiz_version(quiz: Quiz, number: int | None = None) -> QuizVersion | None:
    """One published version of the quiz (the latest if no number is given), with its frozen questions."""
    versions = quiz.versions.select_related("quiz").order_by("-number")
    return (versions.filter(number=number) if number is not None else versions).first()


def bank_gift_questions(bank: QuestionBank) -> list[GiftQuestion]:
    """The bank's questions (not archived) as GIFT carries them, with their keys and topic names."""
    return [
        GiftQuestion(
            type=q.type,
            text=q.text,
            data=q.data,
            title=q.title,
            explanation=q.explanation,
            topics=[t.name_ja for t in q.topics.all()],
            key=str(q.key),
        )
        for q in bank_questions(bank)
    ]


def gift_export(bank: QuestionBank) -> str:
    """The bank as GIFT text; importing it again gives the same questions."""
    return gift_write(bank_gift_questions(bank))


# --- The learner's quiz ------------------------------------------------------------------------------------


def published_quiz(lesson: Any) -> QuizVersion | None:
    """The quiz version a published quiz or micro lesson shows."""
    if lesson.kind not in ("quiz", "micro") or lesson.content_id is None:
        return None
    return QuizVersion.objects.select_related("quiz").filter(pk=lesson.content_id).first()


@dataclass
class LessonQuizState:
    version: QuizVersion
    attempts: list[Attempt]  # newest first
    open_attempt: Attempt | None
    best: Attempt | None
    passed: bool
    attempts_left: int | None  # None = unlimited

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and (self.attempts_left is None or self.attempts_left > 0)


def lesson_quiz_state(*, rep: Any, lesson: Any, version: QuizVersion) -> LessonQuizState:
    attempts = list(Attempt.objects.filter(rep=rep, quiz_id=version.quiz_id, lesson=lesson).order_by("-number"))
    for attempt in attempts:
        # The version (and its frozen questions) is loaded once, not once per attempt.
        if attempt.quiz_version_id == version.pk:
            attempt.quiz_version = version
    submitted = [a for a in attempts if a.submitted_at is not None]
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    used = max((a.number for a in attempts), default=0)
    left = None if not version.allowed_attempts else max(0, version.allowed_attempts - used)
    best = max(submitted, key=lambda a: (a.score or 0, -a.number), default=None)
    return LessonQuizState(
        version=version,
        attempts=attempts,
        open_attempt=open_attempt,
        best=best,
        passed=any(a.passed for a in submitted),
        attempts_left=left,
    )


def rep_attempt_by_key(*, rep: Any, lesson: Any, key: Any, version: QuizVersion | None = None) -> Attempt | None:
    """The rep's own attempt in this lesson with this key (what a posted form names).

    Give the lesson's version if it is at hand: its frozen questions are then not loaded again.
    """
    try:
        attempt = Attempt.objects.filter(rep=rep, lesson=lesson, key=key).first()
    except (ValueError, TypeError, ValidationError):
        return None
    if attempt is not None:
        if version is not None and attempt.quiz_version_id == version.pk:
            attempt.quiz_version = version
        else:
            attempt.quiz_version = QuizVersion.objects.select_related("quiz").get(pk=attempt.quiz_version_id)
    return attempt


def access_attempt_for_user(user: Any, attempt_id: int) -> Attempt:
    """An attempt of a rep this person may see (the rep, their manager, the principal's admin and coaches), or 404."""
    try:
        return (
            Attempt.objects.select_related("rep", "quiz_version", "lesson__version__course")
            .filter(rep__in=visible_reps(user))
            .get(pk=attempt_id)
        )
    except (Attempt.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class PlayerQuestion:
    number: int
    key: str
    title: str
    text_html: str
    type: str
    render: dict[str, Any]
    error: str = ""
    # A fresh statement id for this question's answer as rendered: a double tap posts the same one.
    sid: str = field(default_factory=lambda: str(uuid.uuid4()))


def player_questions(
    *, version: QuizVersion, layout: list[dict[str, Any]], answers: dict[str, Any] | None = None
) -> list[PlayerQuestion]:
    """The questions of an attempt (or of the attempt about to start) as the player shows them."""
    answers = answers or {}
    shown = []
    for number, item in enumerate(layout, start=1):
        q = snapshot_question(version, item["key"])
        if q is None:
            continue
        qtype = question_type(q["type"], q["data"])
        shown.append(
            PlayerQuestion(
                number=number,
                key=item["key"],
                title=q["title"],
                text_html=q["text_html"],
                type=q["type"],
                render=qtype.render(name=f"q-{item['key']}", order=item["order"], answer=answers.get(item["key"])),
            )
        )
    return shown


def attempt_answers(attempt: Attempt) -> dict[str, Any]:
    """The saved answers of an attempt: {question key: answer JSON}."""
    return {str(a.question_key): a.answer for a in attempt.answers.all()}


@dataclass
class QuestionResult:
    number: int
    text_html: str
    answered: bool
    your_answer: list[str]
    right_answer: list[str]
    score: float
    correct: bool
    feedback: list[str]
    explanation_html: str


@dataclass
class AttemptResult:
    attempt: Attempt
    questions: list[QuestionResult]
    correct_count: int

    @property
    def percent(self) -> int:
        return self.attempt.percent or 0


def attempt_result(attempt: Attempt) -> AttemptResult:
    """What the rep sees after submitting: score, each answer right or wrong, the feedback and the explanations."""
    version = attempt.quiz_version
    answers = {str(a.question_key): a for a in attempt.answers.all()}
    results = []
    for number, item in enumerate(attempt.layout, start=1):
        q = snapshot_question(version, item["key"])
        if q is None:
            continue
        qtype = question_type(q["type"], q["data"])
        saved = answers.get(item["key"])
        verdict = qtype.check(saved.answer) if saved else None
        results.append(
            QuestionResult(
                number=number,
                text_html=q["text_html"],
                answered=saved is not None,
                your_answer=qtype.answer_display(saved.answer) if saved else [],
                right_answer=qtype.correct_display(),
                score=saved.score if saved else 0.0,
                correct=bool(saved and saved.correct),
                feedback=[text for text in (verdict.feedback.values() if verdict else []) if text],
                explanation_html=q["explanation_html"],
            )
        )
    return AttemptResult(attempt=attempt, questions=results, correct_count=sum(1 for r in results if r.correct))


def rep_attempts(user: Any, rep: Any) -> QuerySet[Attempt]:
    """A rep's attempts, newest first, for someone who may see that rep."""
    rep = access_rep_for_user(user, rep.pk)
    return Attempt.objects.filter(rep=rep).select_related("quiz_version", "lesson").order_by("-started_at", "-id")


def reps_results(user: Any, *, quiz: Quiz | None = None) -> QuerySet[Attempt]:
    """Submitted attempts of the reps this person may see (a manager: their agency's only), newest first."""
    attempts = Attempt.objects.filter(rep__in=visible_reps(user), submitted_at__isnull=False)
    if quiz is not None:
        attempts = attempts.filter(quiz=quiz)
    return attempts.select_related("rep", "quiz_version", "lesson").order_by("-submitted_at", "-id")


# --- Spaced review -------------------------------------------------------------------------------------------


@dataclass
class ReviewItem:
    card: ReviewCard
    question: Question
    qtype: QuestionType
    text_html: str


def _end_of_day(today: date) -> datetime:
    return datetime.combine(today + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def review_due(rep: Any, today: date | None = None, *, limit: int = REVIEW_LIMIT) -> list[ReviewItem]:
    """The rep's questions due for review by the end of ``today`` (deployment time zone), most overdue first."""
    today = today or timezone.localdate()
    cards = (
        ReviewCard.objects.filter(rep=rep, due__lt=_end_of_day(today), question__archived_at__isnull=True)
        .select_related("question")
        .order_by("due", "id")[:limit]
    )
    return [
        ReviewItem(
            card=card,
            question=card.question,
            qtype=question_type(card.question.type, card.question.data),
            text_html=render_markdown(card.question.text),
        )
        for card in cards
    ]


def review_due_count(rep: Any, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return ReviewCard.objects.filter(rep=rep, due__lt=_end_of_day(today), question__archived_at__isnull=True).count()


@dataclass(frozen=True)
class HomeReview:
    """The rep home's review card: how many questions are due today, of how many the rep has met."""

    due: int
    total: int

    @property
    def today(self) -> int:
        """How many of them today's 3-minute review shows."""
        return min(self.due, REVIEW_LIMIT)


def home_review(rep: Any, today: date | None = None) -> HomeReview:
    """The numbers of the rep home's review card, in one query."""
    today = today or timezone.localdate()
    counts = ReviewCard.objects.filter(rep=rep, question__archived_at__isnull=True).aggregate(
        due=Count("id", filter=Q(due__lt=_end_of_day(today))), total=Count("id")
    )
    return HomeReview(due=counts["due"], total=counts["total"])


def review_next_due(rep: Any) -> datetime | None:
    """When the rep's next question comes due (after today's are done)."""
    return (
        ReviewCard.objects.filter(rep=rep, question__archived_at__isnull=True)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )


def review_item(rep: Any, question: Question) -> ReviewItem:
    """One question of the rep's review, as the review page shows it."""
    card = ReviewCard.objects.get(rep=rep, question=question)
    return ReviewItem(
        card=card,
        question=question,
        qtype=question_type(question.type, question.data),
        text_html=render_markdown(question.text),
    )


def access_review_question_for_user(user: Any, question_id: int) -> Question:
    """A question in this rep's own review, or 404."""
    try:
        return Question.objects.prefetch_related("topics").get(
            pk=question_id, review_cards__rep=user, archived_at__isnull=True
        )
    except (Question.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Weak topics and retention --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicScore:
    topic: Tag
    answered: int
    correct: int
    rate: float  # mean score 0..1


def _scope_reps(user: Any, *, rep: Any = None, team: Any = None, partner: Any = None) -> Q:
    """The filter on ``rep`` for one rep, one team or one partner (each checked), or everyone the user may see."""
    if rep is not None:
        return Q(rep=access_rep_for_user(user, rep.pk))
    if team is not None:
        return Q(rep__membership__team=access_team_for_user(user, team.pk))
    if partner is not None:
        return Q(partner=access_partner_for_user(user, partner.pk))
    m = membership_of(user)
    if m is not None and m.is_rep:
        return Q(rep=user)
    return Q(partner__in=visible_partners(user))


def weak_topics(
    user: Any,
    *,
    rep: Any = None,
    team: Any = None,
    partner: Any = None,
    today: date | None = None,
    weeks: int = WEAK_TOPIC_WEEKS,
    min_answers: int = WEAK_TOPIC_MIN_ANSWERS,
    limit: int = 5,
) -> list[TopicScore]:
    """The topics with the lowest recent correctness (last ``weeks`` weeks) for a rep, a team or a partner.

    Two queries over the small TopicWeek table, whatever the number of answers.
    """
    today = today or timezone.localdate()
    since = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    rows = (
        TopicWeek.objects.filter(_scope_reps(user, rep=rep, team=team, partner=partner), week__gte=since)
        .values("topic_id")
        .annotate(n=Sum("answered"), c=Sum("correct"), s=Sum("score_sum"))
        .filter(n__gte=min_answers)
    )
    scored = sorted(
        ((r["s"] / SCALE / r["n"], r["topic_id"], r["n"], r["c"]) for r in rows), key=lambda x: (x[0], x[1])
    )
    scored = scored[:limit]
    tags = topic_tags().in_bulk([t for _r, t, _n, _c in scored])
    return [TopicScore(tags[t], n, c, rate) for rate, t, n, c in scored if t in tags]


@dataclass(frozen=True)
class TopicRetention:
    topic: Tag
    cards: int
    retention: float  # mean recall probability 0..1 now


def retention_by_topic(
    user: Any, *, rep: Any = None, partner: Any = None, now: datetime | None = None
) -> list[TopicRetention]:
    """FSRS's estimate of how much of each topic is remembered now: one rep's, one partner's reps', or all the
    reps the user may see."""
    now = now or timezone.now()
    if rep is not None:
        reps = Q(rep=access_rep_for_user(user, rep.pk))
    else:
        people = visible_reps(user)
        if partner is not None:
            people = people.filter(membership__organization=access_partner_for_user(user, partner.pk))
        # The ids first: with a subquery PostgreSQL walks every card of every question and filters them after.
        reps = Q(rep_id__in=list(people.values_list("pk", flat=True)))
    rows = ReviewCard.objects.filter(
        reps, question__archived_at__isnull=True, question__topics__isnull=False, last_review__isnull=False
    ).values_list("question__topics", "stability", "last_review")
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0])
    for topic_id, stability, last_review in rows.iterator(chunk_size=5000):
        total = sums[topic_id]
        total[0] += spacing.recall_probability(stability=stability, last_review=last_review, now=now)
        total[1] += 1
    tags = topic_tags().in_bulk(list(sums))
    found = [TopicRetention(tags[t], int(n), s / n) for t, (s, n) in sums.items() if t in tags]
    return sorted(found, key=lambda r: (r.retention, r.topic.slug))


# --- Item analysis (principal staff) ---------------------------------------------------------------------------


FLAGS = {
    "too_hard": _("Almost nobody gets it right: check the right answer."),
    "too_easy": _("Almost everybody gets it right."),
    "negative_discrimination": _(
        "Reps who do well on the rest of the quiz get it wrong more often: it may be misleading."
    ),
    "distractor_beats_answer": _("A wrong option is chosen more often than the right one."),
}


@dataclass
class OptionRate:
    id: str
    label: str
    count: int
    share: float
    right: bool


@dataclass
class ItemAnalysis:
    question: Question
    answered: int
    blank: int
    share_correct: float | None  # difficulty: the share of fully right answers
    mean_score: float | None
    discrimination: float | None  # point-biserial (Pearson) against the rest of the attempt
    options: list[OptionRate] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def flag_messages(self) -> list[Any]:
        return [FLAGS[f] for f in self.flags]


def _option_labels(qtype: QuestionType) -> list[tuple[str, str, bool]]:
    data = qtype.data
    if "options" in data:
        return [(o["id"], o["text"], o["weight"] > 0) for o in data["options"]]
    if qtype.code == "truefalse":
        return [("true", str(_("True")), data["answer"]), ("false", str(_("False")), not data["answer"])]
    if "answers" in data:
        labels = [(a["id"], a.get("text") or _describe_number(a), a["weight"] > 0) for a in data["answers"]]
        return [*labels, ("other", str(_("Other answers")), False)]
    return []


def _describe_number(a: dict[str, Any]) -> str:
    from .giftsyntax import format_number

    if a["kind"] == "range":
        return f"{format_number(a['min'])}〜{format_number(a['max'])}"
    return f"{format_number(a['value'])} ± {format_number(a['tolerance'])}"


def _pearson(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    if n < 2:
        return None
    var_x, var_y = sxx / n - (sx / n) ** 2, syy / n - (sy / n) ** 2
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return max(-1.0, min(1.0, (sxy / n - (sx / n) * (sy / n)) / math.sqrt(var_x * var_y)))


def item_analysis(
    user: Any,
    *,
    bank: QuestionBank | None = None,
    quiz: Quiz | None = None,
    version: QuizVersion | None = None,
    partner: Any = None,
) -> list[ItemAnalysis]:
    """Per question: difficulty, discrimination, how often each option is chosen, and flags for broken-looking ones.

    For the principal's staff only; across every partner unless one is given. A fixed number of
    queries over ItemStat (one row per question and partner), whatever the number of answers.
    """
    if not is_principal_staff(user):
        raise Http404
    questions = Question.objects.filter(bank__staging=False)
    if bank is not None:
        questions = questions.filter(bank=bank)
    if quiz is not None:
        # Every question any published version of the quiz could show.
        keys = {
            key
            for frozen in QuizVersion.objects.filter(quiz=quiz).values_list("questions", flat=True)
            for key in frozen
        }
        questions = questions.filter(key__in=keys)
    if version is not None:
        # The questions this version may show; their figures count every quiz that shows them.
        questions = questions.filter(key__in=list(version.questions))
    by_id = {q.pk: q for q in questions.order_by("bank_id", "position", "id")}
    stats = ItemStat.objects.filter(question_id__in=list(by_id))
    if partner is not None:
        stats = stats.filter(partner=partner)
    totals: dict[int, dict[str, Any]] = {}
    fields = ("answered", "blank", "correct", "score_sum", "pairs", "x_sum", "x2_sum", "y_sum", "y2_sum", "xy_sum")
    for row in stats.values("question_id", "option_counts", *fields):
        total = totals.setdefault(row["question_id"], {f: 0 for f in fields} | {"options": defaultdict(int)})
        for f in fields:
            total[f] += row[f]
        for option, count in (row["option_counts"] or {}).items():
            total["options"][option] += count
    return [_analysis(q, totals.get(pk)) for pk, q in by_id.items()]


def _analysis(question: Question, total: dict[str, Any] | None) -> ItemAnalysis:
    if not total or not total["answered"]:
        return ItemAnalysis(question, 0, 0, None, None, None)
    n = total["answered"]
    s = float(SCALE)
    qtype = question_type(question.type, question.data)
    given = n - total["blank"]
    options = [
        OptionRate(
            oid, label, total["options"].get(oid, 0), total["options"].get(oid, 0) / given if given else 0.0, right
        )
        for oid, label, right in _option_labels(qtype)
    ]
    analysis = ItemAnalysis(
        question=question,
        answered=n,
        blank=total["blank"],
        share_correct=total["correct"] / n,
        mean_score=total["score_sum"] / s / n,
        discrimination=_pearson(
            total["pairs"],
            total["x_sum"] / s,
            total["y_sum"] / s,
            total["x2_sum"] / s / s,
            total["y2_sum"] / s / s,
            total["xy_sum"] / s / s,
        ),
        options=options,
    )
    if n >= ITEM_MIN_ANSWERS:
        if analysis.share_correct is not None and analysis.share_correct < 0.2:
            analysis.flags.append("too_hard")
        if analysis.share_correct is not None and analysis.share_correct > 0.95:
            analysis.flags.append("too_easy")
        if analysis.discrimination is not None and analysis.discrimination < 0:
            analysis.flags.append("negative_discrimination")
        right = [o.count for o in options if o.right and o.id != "other"]
        wrong = [o.count for o in options if not o.right and o.id != "other"]
        if right and wrong and max(wrong) > max(right):
            analysis.flags.append("distractor_beats_answer")
    return analysis


@dataclass(frozen=True)
class PartnerRate:
    partner: Any
    answered: int
    share_correct: float | None


def item_partner_rates(user: Any, questions: list[Question]) -> dict[int, list[PartnerRate]]:
    """Per question, each partner's answers and share right (principal staff only; 2 queries)."""
    if not is_principal_staff(user):
        raise Http404
    partners = list(visible_partners(user).order_by("name"))
    found: dict[tuple[int, int], tuple[int, int]] = {}
    rows = ItemStat.objects.filter(question_id__in=[q.pk for q in questions], partner__isnull=False)
    for question_id, partner_id, answered, correct in rows.values_list(
        "question_id", "partner_id", "answered", "correct"
    ):
        found[(question_id, partner_id)] = (answered, correct)
    rates: dict[int, list[PartnerRate]] = {}
    for q in questions:
        line = []
        for p in partners:
            answered, correct = found.get((q.pk, p.pk), (0, 0))
            if answered:
                line.append(PartnerRate(p, answered, correct / answered))
        rates[q.pk] = line
    return rates


def _since(today: date, weeks: int) -> date:
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)


@dataclass
class TopicAcrossPartners:
    topic: Tag
    answered: int
    rate: float  # mean score 0..1, every partner
    partners: list[tuple[Any, int, float]]  # (partner, answered, rate), weakest first


def topics_across_partners(
    user: Any, *, today: date | None = None, weeks: int = WEAK_TOPIC_WEEKS, min_answers: int = WEAK_TOPIC_MIN_ANSWERS
) -> list[TopicAcrossPartners]:
    """Every topic's recent correctness over all partners, weakest first, with each partner's (principal staff only).

    Three queries over TopicWeek, partners and tags, whatever the number of answers.
    """
    if not is_principal_staff(user):
        raise Http404
    today = today or timezone.localdate()
    rows = (
        TopicWeek.objects.filter(week__gte=_since(today, weeks), partner__isnull=False)
        .values("topic_id", "partner_id")
        .annotate(n=Sum("answered"), s=Sum("score_sum"))
    )
    per_topic: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for r in rows:
        per_topic[r["topic_id"]].append((r["partner_id"], r["n"], r["s"]))
    partners = visible_partners(user).in_bulk()
    tags = topic_tags().in_bulk(list(per_topic))
    found = []
    for topic_id, lines in per_topic.items():
        n = sum(line[1] for line in lines)
        if n < min_answers or topic_id not in tags:
            continue
        by_partner = sorted(
            ((partners[p], pn, ps / SCALE / pn) for p, pn, ps in lines if pn and p in partners),
            key=lambda x: (x[2], x[0].name),
        )
        found.append(TopicAcrossPartners(tags[topic_id], n, sum(line[2] for line in lines) / SCALE / n, by_partner))
    return sorted(found, key=lambda t: (t.rate, t.topic.slug))


@dataclass
class RepQuizRow:
    rep: Any
    attempts: int
    passed: int
    mean_score: float | None
    last_at: datetime | None
    weakest: TopicScore | None
    retention: float | None  # mean recall probability now, over the rep's reviewed cards
    due: int  # review questions due today


def reps_quiz_overview(
    user: Any, *, partner: Any = None, today: date | None = None, now: datetime | None = None
) -> list[RepQuizRow]:
    """For a manager (their agency) or the principal's admin and coaches (one partner): each rep's quiz results,
    weakest recent topic, retention and review backlog. A fixed number of queries, whatever the number of reps.
    """
    now = now or timezone.now()
    today = today or timezone.localdate()
    reps_qs = visible_reps(user)
    if partner is not None:
        reps_qs = reps_qs.filter(membership__organization=access_partner_for_user(user, partner.pk))
    reps = list(reps_qs.select_related("membership__team").order_by("name", "pk"))
    ids = [r.pk for r in reps]
    attempts = {
        row["rep_id"]: row
        for row in Attempt.objects.filter(rep_id__in=ids, submitted_at__isnull=False)
        .values("rep_id")
        .annotate(n=Count("id"), p=Count("id", filter=Q(passed=True)), mean=Avg("score"), last=Max("submitted_at"))
    }
    weakest: dict[int, tuple[float, int, int, int]] = {}
    for row in (
        TopicWeek.objects.filter(rep_id__in=ids, week__gte=_since(today, WEAK_TOPIC_WEEKS))
        .values("rep_id", "topic_id")
        .annotate(n=Sum("answered"), c=Sum("correct"), s=Sum("score_sum"))
        .filter(n__gte=WEAK_TOPIC_MIN_ANSWERS)
    ):
        candidate = (row["s"] / SCALE / row["n"], row["topic_id"], row["n"], row["c"])
        if row["rep_id"] not in weakest or candidate[:2] < weakest[row["rep_id"]][:2]:
            weakest[row["rep_id"]] = candidate
    retention: dict[int, list[float]] = defaultdict(lambda: [0.0, 0])
    due: dict[int, int] = defaultdict(int)
    end = _end_of_day(today)
    cards = ReviewCard.objects.filter(rep_id__in=ids, question__archived_at__isnull=True).values_list(
        "rep_id", "stability", "last_review", "due"
    )
    for rep_id, stability, last_review, due_at in cards.iterator(chunk_size=5000):
        if last_review is not None:
            total = retention[rep_id]
            total[0] += spacing.recall_probability(stability=stability, last_review=last_review, now=now)
            total[1] += 1
        if due_at < end:
            due[rep_id] += 1
    tags = topic_tags().in_bulk({w[1] for w in weakest.values()})
    rows = []
    for rep in reps:
        a = attempts.get(rep.pk)
        w = weakest.get(rep.pk)
        r = retention.get(rep.pk)
        rows.append(
            RepQuizRow(
                rep=rep,
                attempts=a["n"] if a else 0,
                passed=a["p"] if a else 0,
                mean_score=a["mean"] if a else None,
                last_at=a["last"] if a else None,
                weakest=TopicScore(tags[w[1]], w[2], w[3], w[0]) if w and w[1] in tags else None,
                retention=r[0] / r[1] if r and r[1] else None,
                due=due.get(rep.pk, 0),
            )
        )
    return rows


# --- The studio's view of a question: the answer key and the preview ------------------------------------------


@dataclass(frozen=True)
class AnswerLine:
    label: str
    weight: float | None  # percent; None where the type has no weights (matching)
    right: bool
    feedback: str


def answer_key(type_code: str, data: dict[str, Any]) -> list[AnswerLine]:
    """Every option or accepted answer with its score and feedback, as the author checks them."""
    if type_code in ("single", "multiple"):
        return [AnswerLine(o["text"], o["weight"], o["weight"] > 0, o.get("feedback", "")) for o in data["options"]]
    if type_code == "truefalse":
        return [
            AnswerLine(str(_("True")), 100.0 if data["answer"] else 0.0, data["answer"], data["feedback_true"]),
            AnswerLine(str(_("False")), 0.0 if data["answer"] else 100.0, not data["answer"], data["feedback_false"]),
        ]
    if type_code in ("short", "numerical"):
        lines = [
            AnswerLine(a.get("text") or _describe_number(a), a["weight"], a["weight"] > 0, a.get("feedback", ""))
            for a in data["answers"]
        ]
        if data.get("otherwise_feedback"):
            lines.append(AnswerLine(str(_("Any other number")), 0.0, False, data["otherwise_feedback"]))
        return lines
    if type_code == "matching":
        return [
            AnswerLine(f"{p['left']} → {p['right']}" if p["left"] else f"({p['right']})", None, bool(p["left"]), "")
            for p in data["pairs"]
        ]
    return []


@dataclass
class PreviewQuestion:
    player: PlayerQuestion
    key: list[AnswerLine]
    explanation_html: str
    topics: list[str]


def preview_questions(version: QuizVersion, layout: list[dict[str, Any]]) -> list[PreviewQuestion]:
    """An attempt's questions as the rep sees them, each with its answer key and explanation (the author's preview)."""
    shown = []
    for player in player_questions(version=version, layout=layout):
        q = snapshot_question(version, player.key) or {}
        shown.append(
            PreviewQuestion(
                player=player,
                key=answer_key(q["type"], q["data"]),
                explanation_html=q.get("explanation_html", ""),
                topics=q.get("topics", []),
            )
        )
    return shown


def question_preview(question: Question) -> dict[str, Any]:
    """One bank question as the rep sees it (inputs only), with its answer key and explanation, for the studio."""
    qtype = question_type(question.type, question.data)
    return {
        "text_html": render_markdown(question.text),
        "render": qtype.render(name=f"preview-{question.pk}", order=None, answer=None),
        "key": answer_key(question.type, question.data),
        "explanation_html": render_markdown(question.explanation) if question.explanation else "",
    }
