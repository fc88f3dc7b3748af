"""Reads of the figures: weak topics, retention, item analysis, topics across partners, each rep's quiz overview."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, Max, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.models import Tag
from kizuna.catalog.selectors import topic_tags
from kizuna.orgs.access import (
    access_partner_for_user,
    access_rep_for_user,
    access_team_for_user,
    is_principal_staff,
    membership_of,
    visible_partners,
    visible_reps,
)

from .. import spacing
from ..models import (
    Attempt,
    ItemStat,
    Question,
    QuestionBank,
    Quiz,
    QuizVersion,
    ReviewCard,
    TopicWeek,
)
from ..projections import SCALE
from ..types import question_type
from ..types.base import QuestionType
from .review import end_of_day
from .studio import describe_number

WEAK_TOPIC_WEEKS = 12
WEAK_TOPIC_MIN_ANSWERS = 3
ITEM_MIN_ANSWERS = 20  # below this, item statistics are too noisy to flag anything
TOO_HARD, TOO_EASY = 0.2, 0.95  # shares of right answers below / above which a question is flagged


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
        labels = [(a["id"], a.get("text") or describe_number(a), a["weight"] > 0) for a in data["answers"]]
        return [*labels, ("other", str(_("Other answers")), False)]
    return []


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
        if analysis.share_correct is not None and analysis.share_correct < TOO_HARD:
            analysis.flags.append("too_hard")
        if analysis.share_correct is not None and analysis.share_correct > TOO_EASY:
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
    end = end_of_day(today)
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


def lesson_average_scores(*, keys: list[Any]) -> dict[Any, float]:
    """Return {lesson key: the average scaled score (0..1) of submitted attempts} over every version of each."""
    rows = (
        Attempt.objects.filter(lesson__key__in=keys, score__isnull=False)
        .values("lesson__key")
        .annotate(average=Avg("score"))
        .order_by()
    )
    return {row["lesson__key"]: row["average"] for row in rows}
