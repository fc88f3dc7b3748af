"""Reads of the studio: banks, questions, GIFT imports, quizzes and their versions, the answer key and previews."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Max, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.markdown import render_markdown
from kizuna.catalog.models import Tag
from kizuna.catalog.selectors import topic_tags
from kizuna.orgs.access import (
    Role,
    can_author,
    has_role,
)

from ..gift import GiftQuestion, gift_write
from ..models import (
    Attempt,
    GiftImport,
    Question,
    QuestionBank,
    Quiz,
    QuizItem,
    QuizVersion,
)
from ..published import snapshot_question
from ..types import question_type
from .attempts import PlayerQuestion, player_questions


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
    bank: QuestionBank, *, type: str = "", topic: Tag | None = None, category: str = "", archived: bool = False
) -> QuerySet[Question]:
    """The bank's questions of one type, topic and/or category with its subcategories (the bank page's filter)."""
    questions = bank_questions(bank, archived=archived)
    if type:
        questions = questions.filter(type=type)
    if topic is not None:
        questions = questions.filter(topics=topic)
    if category:
        # "a" holds "a" and "a/b", but not "a//b" (a category named "a/b").
        below = Q(category__startswith=category + "/") & ~Q(category__startswith=category + "//")
        questions = questions.filter(Q(category=category) | below)
    return questions


@dataclass(frozen=True)
class CategoryNode:
    path: str  # as stored: "製品/料金"
    name: str  # its own name: "料金"
    depth: int  # 0 at the top
    count: int  # questions in it and below


def bank_categories(bank: QuestionBank) -> list[CategoryNode]:
    """The bank's category hierarchy (every path and each of its parents), in tree order, with question counts."""
    from ..gift import category_parts

    counts: dict[str, int] = {}
    rows = bank_questions(bank).exclude(category="").order_by().values_list("category").annotate(n=Count("id"))
    for path, n in rows:
        parts = category_parts(path)
        for depth in range(len(parts)):
            prefix = "/".join(p.replace("/", "//") for p in parts[: depth + 1])
            counts[prefix] = counts.get(prefix, 0) + n
    return [
        CategoryNode(path=path, name=category_parts(path)[-1], depth=len(category_parts(path)) - 1, count=n)
        for path, n in sorted(counts.items(), key=lambda item: category_parts(item[0]))
    ]


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
            category=q.category,
        )
        for q in bank_questions(bank)
    ]


def gift_export(bank: QuestionBank) -> str:
    """The bank as GIFT text; importing it again gives the same questions."""
    return gift_write(bank_gift_questions(bank))


def describe_number(a: dict[str, Any]) -> str:
    from ..giftsyntax import format_number

    if a["kind"] == "range":
        return f"{format_number(a['min'])}〜{format_number(a['max'])}"
    return f"{format_number(a['value'])} ± {format_number(a['tolerance'])}"


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
            AnswerLine(a.get("text") or describe_number(a), a["weight"], a["weight"] > 0, a.get("feedback", ""))
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
    if type_code == "essay":
        from ..types.open import essay_rubric

        # A coach or manager grades it: the key is the rubric, each criterion with its levels.
        return [AnswerLine(f"{c['title']}: " + " / ".join(c["levels"]), None, False, "") for c in essay_rubric(data)]
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
