"""Writes of quizzes (authors): their settings and items, and publishing a quiz as a frozen version."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.catalog.markdown import render_markdown
from kizuna.catalog.text_checks import unexplained_terms_check, unexplained_terms_problems
from kizuna.ops.errors import problems_text
from kizuna.ops.ordering import position_swap
from kizuna.ops.trail import Action, audit_edit, audit_record

from ..errors import AssessmentError
from ..models import Question, QuestionBank, Quiz, QuizItem, QuizVersion

MICRO_MAX_QUESTIONS = 3
MAX_TIME_LIMIT_MINUTES = 600


def _check_settings(pass_mark: int, allowed_attempts: int, time_limit_minutes: int | None) -> None:
    if not 0 <= pass_mark <= 100:
        raise AssessmentError(_("The pass mark must be between 0 and 100%."))
    if allowed_attempts < 0:
        raise AssessmentError(_("Allowed attempts cannot be negative (0 means unlimited)."))
    if time_limit_minutes is not None and not 1 <= time_limit_minutes <= MAX_TIME_LIMIT_MINUTES:
        raise AssessmentError(
            _("The time limit must be between 1 and %(max)s minutes, or empty.") % {"max": MAX_TIME_LIMIT_MINUTES}
        )


def _quiz_state(quiz: Quiz) -> dict[str, Any]:
    return {
        "title": quiz.title,
        "pass_mark": quiz.pass_mark,
        "allowed_attempts": quiz.allowed_attempts,
        "time_limit_minutes": quiz.time_limit_minutes,
        "shuffle_options": quiz.shuffle_options,
        "shuffle_questions": quiz.shuffle_questions,
        "micro": quiz.micro,
    }


def _item_state(item: QuizItem) -> dict[str, Any]:
    if item.kind == QuizItem.Kind.FIXED:
        return {"item": item.pk, "question": item.question_id}
    return {"item": item.pk, "draw": item.count, "bank": item.bank_id, "topic": item.topic_id}


def _quiz_edited(
    quiz: Quiz, *, edit: str, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None
) -> None:
    """Put an edit of a quiz's draft on the audit trail (the principal's content: no organization)."""
    audit_edit(action=Action.QUIZ_EDIT, target=quiz, target_label=quiz.title, edit=edit, before=before, after=after)


@transaction.atomic
def quiz_create(
    *,
    author: Any,
    title: str,
    pass_mark: int = 80,
    allowed_attempts: int = 0,
    time_limit_minutes: int | None = None,
    shuffle_options: bool = True,
    shuffle_questions: bool = False,
    micro: bool = False,
) -> Quiz:
    """Create a quiz; ``micro`` marks the check questions of a micro lesson (at most MICRO_MAX_QUESTIONS)."""
    _check_settings(pass_mark, allowed_attempts, time_limit_minutes)
    if not title.strip():
        raise AssessmentError(_("Enter the quiz's title."))
    quiz = Quiz.objects.create(
        title=title.strip(),
        pass_mark=pass_mark,
        allowed_attempts=allowed_attempts,
        time_limit_minutes=time_limit_minutes,
        shuffle_options=shuffle_options,
        shuffle_questions=shuffle_questions,
        micro=micro,
        created_by=author,
    )
    _quiz_edited(quiz, edit="quiz.create", after=_quiz_state(quiz))
    return quiz


@transaction.atomic
def quiz_update(
    *,
    quiz: Quiz,
    title: str,
    pass_mark: int,
    allowed_attempts: int,
    time_limit_minutes: int | None,
    shuffle_options: bool,
    shuffle_questions: bool,
    micro: bool | None = None,
) -> Quiz:
    _check_settings(pass_mark, allowed_attempts, time_limit_minutes)
    if not title.strip():
        raise AssessmentError(_("Enter the quiz's title."))
    if micro:
        _check_micro_size(quiz, adding=0)
    before = _quiz_state(Quiz.objects.get(pk=quiz.pk))
    if micro is not None:
        quiz.micro = micro
    quiz.title, quiz.pass_mark, quiz.allowed_attempts = title.strip(), pass_mark, allowed_attempts
    quiz.time_limit_minutes, quiz.shuffle_options, quiz.shuffle_questions = (
        time_limit_minutes,
        shuffle_options,
        shuffle_questions,
    )
    quiz.save()
    _quiz_edited(quiz, edit="quiz.update", before=before, after=_quiz_state(quiz))
    return quiz


def _check_micro_size(quiz: Quiz, *, adding: int) -> None:
    # Counted afresh: quiz.items may be a prefetched (stale) list.
    lines = QuizItem.objects.filter(quiz=quiz).values_list("kind", "count")
    count = sum(1 if kind == QuizItem.Kind.FIXED else n for kind, n in lines) + adding
    if count > MICRO_MAX_QUESTIONS:
        raise AssessmentError(
            _("A micro lesson has at most %(max)s check questions; this would make %(count)s.")
            % {"max": MICRO_MAX_QUESTIONS, "count": count}
        )


def _next_position(quiz: Quiz) -> int:
    return (quiz.items.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def quiz_question_add(*, quiz: Quiz, question: Question) -> QuizItem:
    """Put one fixed question at the end of the quiz."""
    if question.archived_at is not None:
        raise AssessmentError(_("This question is archived."))
    if quiz.items.filter(kind=QuizItem.Kind.FIXED, question=question).exists():
        raise AssessmentError(_("This question is already in the quiz."))
    if quiz.micro:
        _check_micro_size(quiz, adding=1)
    item = QuizItem.objects.create(
        quiz=quiz, kind=QuizItem.Kind.FIXED, question=question, position=_next_position(quiz)
    )
    _quiz_edited(quiz, edit="item.add", after=_item_state(item))
    return item


@transaction.atomic
def quiz_draw_add(*, quiz: Quiz, bank: QuestionBank, count: int, topic: Any = None) -> QuizItem:
    """Add a rule "``count`` random questions from ``bank`` (with ``topic``)", drawn anew for every attempt."""
    if not 1 <= count <= 100:
        raise AssessmentError(_("Draw between 1 and 100 questions."))
    if quiz.micro:
        _check_micro_size(quiz, adding=count)
    item = QuizItem.objects.create(
        quiz=quiz, kind=QuizItem.Kind.DRAW, bank=bank, topic=topic, count=count, position=_next_position(quiz)
    )
    _quiz_edited(quiz, edit="item.add", after=_item_state(item))
    return item


@transaction.atomic
def quiz_item_remove(*, item: QuizItem) -> None:
    before = _item_state(item)
    item.delete()
    _quiz_edited(item.quiz, edit="item.remove", before=before)


@transaction.atomic
def quiz_item_move(*, item: QuizItem, direction: int) -> None:
    """Swap an item with its neighbour (direction -1 = up, +1 = down)."""
    before = {"item": item.pk, "position": QuizItem.objects.get(pk=item.pk).position}
    if position_swap(item.quiz.items.all(), pk=item.pk, direction=direction):
        after = {"item": item.pk, "position": QuizItem.objects.get(pk=item.pk).position}
        _quiz_edited(item.quiz, edit="item.move", before=before, after=after)


def _pool(item: QuizItem) -> list[Question]:
    # A description is placed by the author (a fixed item), never drawn at random.
    questions = Question.objects.filter(bank_id=item.bank_id, archived_at__isnull=True).exclude(type="description")
    if item.topic_id:
        questions = questions.filter(topics=item.topic_id)
    return list(questions.order_by("position", "id").prefetch_related("topics"))


def quiz_question_count(quiz: Quiz) -> int:
    """How many questions one attempt shows (fixed questions plus each rule's count)."""
    return sum(item.question_count for item in quiz.items.all())


def quiz_snapshot(quiz: Quiz) -> QuizVersion:
    """The draft as an unsaved version (its items and the frozen data of every question it may show): for previews."""
    items, questions = _snapshot(quiz)
    return QuizVersion(
        quiz=quiz,
        number=0,
        title=quiz.title,
        pass_mark=quiz.pass_mark,
        allowed_attempts=quiz.allowed_attempts,
        time_limit_minutes=quiz.time_limit_minutes,
        shuffle_options=quiz.shuffle_options,
        shuffle_questions=quiz.shuffle_questions,
        question_count=sum(1 if i["kind"] == "fixed" else i["count"] for i in items),
        items=items,
        questions=questions,
        fingerprint="",
        published_at=timezone.now(),
    )


def _strings(value: Any) -> list[str]:
    """Every text inside a question's type data (options, feedback, pairs…): reps read them all."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [text for item in value for text in _strings(item)] if isinstance(value, list) else []


def _question_texts(rows: Any) -> list[str]:
    return [text for title, text, explanation, data in rows for text in (title, text, explanation, *_strings(data))]


def quiz_publish_problems(quiz: Quiz | None, *, micro: bool = False) -> list[str]:
    """What stops the quiz from being published, in the user's language."""
    if quiz is None:
        return [_("The quiz no longer exists.")]
    problems = []
    items = list(quiz.items.select_related("question", "bank", "topic"))
    count = sum(item.question_count for item in items)
    descriptions = sum(
        1 for item in items if item.kind == QuizItem.Kind.FIXED and cast(Question, item.question).type == "description"
    )
    if not items or descriptions == len(items):
        problems.append(_("The quiz “%(title)s” has no questions.") % {"title": quiz.title})
    fixed = {item.question_id for item in items if item.kind == QuizItem.Kind.FIXED}
    union: set[int | None] = set(fixed)
    for item in items:
        if item.kind == QuizItem.Kind.FIXED and cast(Question, item.question).archived_at is not None:
            problems.append(
                _("A question of “%(title)s” is archived: remove it from the quiz.") % {"title": quiz.title}
            )
        elif item.kind == QuizItem.Kind.DRAW:
            pool = {q.pk for q in _pool(item)} - fixed
            union |= pool
            if len(pool) < item.count:
                assert item.bank is not None  # a draw rule always has a bank
                problems.append(
                    _("“%(bank)s” has only %(available)s questions for a rule that draws %(count)s.")
                    % {"bank": item.bank.title, "available": len(pool), "count": item.count}
                )
    if items and len(union) < count:
        problems.append(_("The draw rules of “%(title)s” overlap: not enough questions.") % {"title": quiz.title})
    if (micro or quiz.micro) and count > MICRO_MAX_QUESTIONS:
        problems.append(
            _("A micro lesson has at most %(max)s check questions; “%(title)s” has %(count)s.")
            % {"max": MICRO_MAX_QUESTIONS, "title": quiz.title, "count": count}
        )
    # The questions reps may be shown, fixed or drawn: an insider term without explanation blocks publishing.
    check = unexplained_terms_check()
    if check:  # the questions' texts are read only when the glossary has unexplained jargon
        texts = Question.objects.filter(pk__in=union - {None}).values_list("title", "text", "explanation", "data")
        problems += unexplained_terms_problems(quiz.title, *_question_texts(texts), check=check)
    return problems


def _frozen(question: Question) -> dict[str, Any]:
    return {
        "type": question.type,
        "title": question.title,
        "text": question.text,
        "text_html": render_markdown(question.text),
        "explanation": question.explanation,
        "explanation_html": render_markdown(question.explanation),
        "data": question.data,
        "topics": sorted(t.slug for t in question.topics.all()),
        "bank": question.bank.slug,
    }


def _snapshot(quiz: Quiz) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    items: list[dict[str, Any]] = []
    questions: dict[str, Any] = {}
    for item in quiz.items.select_related("question__bank", "bank", "topic").prefetch_related("question__topics"):
        if item.kind == QuizItem.Kind.FIXED:
            assert item.question is not None  # a fixed item always has a question
            items.append({"kind": "fixed", "key": str(item.question.key)})
            questions[str(item.question.key)] = _frozen(item.question)
            continue
        pool = _pool(item)
        assert item.bank is not None  # a draw rule always has a bank
        for q in pool:
            q.bank = item.bank
            questions[str(q.key)] = _frozen(q)
        items.append(
            {
                "kind": "draw",
                "bank": item.bank.slug,
                "topic": item.topic.slug if item.topic else None,
                "count": item.count,
                "pool": [str(q.key) for q in pool],
            }
        )
    return items, questions


@transaction.atomic
def quiz_publish(*, quiz: Quiz, publisher: Any, micro: bool = False, when: datetime | None = None) -> QuizVersion:
    """Freeze the quiz into an immutable version; an unchanged quiz returns its latest version."""
    Quiz.objects.select_for_update().filter(pk=quiz.pk).first()
    problems = quiz_publish_problems(quiz, micro=micro)
    if problems:
        raise AssessmentError(problems_text(problems))
    items, questions = _snapshot(quiz)
    frozen = {
        "title": quiz.title,
        "pass_mark": quiz.pass_mark,
        "allowed_attempts": quiz.allowed_attempts,
        "time_limit_minutes": quiz.time_limit_minutes,
        "shuffle_options": quiz.shuffle_options,
        "shuffle_questions": quiz.shuffle_questions,
        "question_count": sum(1 if i["kind"] == "fixed" else i["count"] for i in items),
    }
    fingerprint = hashlib.sha256(
        json.dumps({**frozen, "items": items, "questions": questions}, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    latest = quiz.versions.order_by("-number").first()
    if latest is not None and latest.fingerprint == fingerprint:
        return latest
    version = QuizVersion.objects.create(
        quiz=quiz,
        number=(latest.number if latest else 0) + 1,
        items=items,
        questions=questions,
        fingerprint=fingerprint,
        published_at=when or timezone.now(),
        published_by=publisher,
        **frozen,
    )
    quiz.latest_version = version
    quiz.save(update_fields=["latest_version"])
    audit_record(
        action=Action.CONTENT_PUBLISH,
        actor=publisher,
        target=quiz,
        after={"kind": "micro" if micro else "quiz", "version": version.number},
    )
    return version
