"""Writes: question banks, questions and quizzes, publishing and GIFT import (authors); attempts and reviews (reps).

Reps' writes record statements only (kizuna.records.services.statement_record); the
rows they read back (Attempt, AttemptAnswer, ReviewCard…) are projections of those
statements (kizuna.assessments.projections).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.catalog.markdown import render_markdown
from kizuna.catalog.selectors import lesson_activity_data
from kizuna.orgs.access import membership_of
from kizuna.records import services as records
from kizuna.records import vocab as records_vocab
from kizuna.records.services import Activity, StatementError, format_duration, statement_record

from . import vocab
from .errors import AssessmentError, GiftImportError
from .models import Attempt, AttemptAnswer, Question, QuestionBank, Quiz, QuizItem, QuizVersion, ReviewCard
from .published import attempt_seed, draw_layout, question_iri, quiz_iri, snapshot_question, snapshot_type
from .types import question_type, type_class
from .types.base import AnswerError, Check, QuestionDataError, QuestionType

# Answers that arrive this long after the deadline still count (the network is not the rep's fault).
ANSWER_GRACE = timedelta(seconds=5)
# An answer's time is the time since the attempt's previous answer, at most this long.
MAX_ANSWER_SECONDS = 120.0
MICRO_MAX_QUESTIONS = 3
MAX_TIME_LIMIT_MINUTES = 600

__all__ = ["AnswerError", "AssessmentError", "GiftImportError"]


# --- Question banks and questions ------------------------------------------------------------------------


def bank_create(*, slug: str, title: str, author: Any, product: Any = None, topics: Iterable[Any] = ()) -> QuestionBank:
    if QuestionBank.objects.filter(slug=slug).exists():
        raise AssessmentError(_("A question bank with this code already exists."))
    bank = QuestionBank.objects.create(slug=slug, title=title.strip() or slug, product=product, created_by=author)
    bank.topics.set(list(topics))
    return bank


def bank_update(*, bank: QuestionBank, title: str, product: Any = None, topics: Iterable[Any] = ()) -> QuestionBank:
    bank.title, bank.product = title.strip() or bank.slug, product
    bank.save(update_fields=["title", "product"])
    bank.topics.set(list(topics))
    return bank


def bank_ensure(*, slug: str, author: Any = None) -> QuestionBank:
    """The bank with this code, created (titled by its code) if there is none yet."""
    bank = QuestionBank.objects.filter(slug=slug).first()
    return bank or bank_create(slug=slug, title=slug, author=author)


def _clean_question(type_code: str, text: str, data: Any) -> tuple[str, dict[str, Any]]:
    try:
        cls = type_class(type_code)
    except KeyError:
        raise AssessmentError(_("Unknown question type.")) from None
    problems = [] if text.strip() else [_("The question text is empty.")]
    try:
        cleaned = cls.clean(data)
    except QuestionDataError as exc:
        problems += exc.messages
    if problems:
        raise AssessmentError(" ".join(str(p) for p in problems))
    return text.replace("\r\n", "\n").strip(), cleaned


def question_create(
    *,
    bank: QuestionBank,
    type: str,
    text: str,
    data: Any,
    explanation: str = "",
    title: str = "",
    topics: Iterable[Any] = (),
    key: uuid.UUID | None = None,
) -> Question:
    """Add a question to a bank; its data is checked by its type (QuestionType.clean)."""
    text, data = _clean_question(type, text, data)
    position = (bank.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question(
        bank=bank,
        type=type,
        title=title.strip()[:200],
        text=text,
        explanation=explanation.replace("\r\n", "\n").strip(),
        data=data,
        position=position,
    )
    if key is not None:
        question.key = key
    question.save()
    question.topics.set(list(topics))
    return question


def question_update(
    *,
    question: Question,
    type: str,
    text: str,
    data: Any,
    explanation: str = "",
    title: str = "",
    topics: Iterable[Any] = (),
) -> Question:
    """Change a question. Published quizzes keep the version they froze; reviews show the new one."""
    text, data = _clean_question(type, text, data)
    question.type, question.text, question.data = type, text, data
    question.title, question.explanation = title.strip()[:200], explanation.replace("\r\n", "\n").strip()
    question.save()
    question.topics.set(list(topics))
    return question


def question_archive(*, question: Question) -> Question:
    """Stop drawing and reviewing a question; records, snapshots and statistics keep it."""
    if question.archived_at is None:
        question.archived_at = timezone.now()
        question.save(update_fields=["archived_at"])
    return question


# --- Quizzes and publishing --------------------------------------------------------------------------------


def _check_settings(pass_mark: int, allowed_attempts: int, time_limit_minutes: int | None) -> None:
    if not 0 <= pass_mark <= 100:
        raise AssessmentError(_("The pass mark must be between 0 and 100%."))
    if allowed_attempts < 0:
        raise AssessmentError(_("Allowed attempts cannot be negative (0 means unlimited)."))
    if time_limit_minutes is not None and not 1 <= time_limit_minutes <= MAX_TIME_LIMIT_MINUTES:
        raise AssessmentError(
            _("The time limit must be between 1 and %(max)s minutes, or empty.") % {"max": MAX_TIME_LIMIT_MINUTES}
        )


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
    return Quiz.objects.create(
        title=title.strip(),
        pass_mark=pass_mark,
        allowed_attempts=allowed_attempts,
        time_limit_minutes=time_limit_minutes,
        shuffle_options=shuffle_options,
        shuffle_questions=shuffle_questions,
        micro=micro,
        created_by=author,
    )


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
    if micro is not None:
        quiz.micro = micro
    quiz.title, quiz.pass_mark, quiz.allowed_attempts = title.strip(), pass_mark, allowed_attempts
    quiz.time_limit_minutes, quiz.shuffle_options, quiz.shuffle_questions = (
        time_limit_minutes,
        shuffle_options,
        shuffle_questions,
    )
    quiz.save()
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


def quiz_question_add(*, quiz: Quiz, question: Question) -> QuizItem:
    """Put one fixed question at the end of the quiz."""
    if question.archived_at is not None:
        raise AssessmentError(_("This question is archived."))
    if quiz.items.filter(kind=QuizItem.Kind.FIXED, question=question).exists():
        raise AssessmentError(_("This question is already in the quiz."))
    if quiz.micro:
        _check_micro_size(quiz, adding=1)
    return QuizItem.objects.create(
        quiz=quiz, kind=QuizItem.Kind.FIXED, question=question, position=_next_position(quiz)
    )


def quiz_draw_add(*, quiz: Quiz, bank: QuestionBank, count: int, topic: Any = None) -> QuizItem:
    """Add a rule "``count`` random questions from ``bank`` (with ``topic``)", drawn anew for every attempt."""
    if not 1 <= count <= 100:
        raise AssessmentError(_("Draw between 1 and 100 questions."))
    if quiz.micro:
        _check_micro_size(quiz, adding=count)
    return QuizItem.objects.create(
        quiz=quiz, kind=QuizItem.Kind.DRAW, bank=bank, topic=topic, count=count, position=_next_position(quiz)
    )


def quiz_item_remove(*, item: QuizItem) -> None:
    item.delete()


def quiz_item_move(*, item: QuizItem, direction: int) -> None:
    """Swap an item with its neighbour (direction -1 = up, +1 = down)."""
    items = list(item.quiz.items.order_by("position", "id"))
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    other = index + direction
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    with transaction.atomic():
        for position, x in enumerate(items, start=1):
            QuizItem.objects.filter(pk=x.pk).update(position=position)


def _pool(item: QuizItem) -> list[Question]:
    questions = Question.objects.filter(bank_id=item.bank_id, archived_at__isnull=True)
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


def quiz_publish_problems(quiz: Quiz | None, *, micro: bool = False) -> list[str]:
    """What stops the quiz from being published, in the user's language."""
    if quiz is None:
        return [_("The quiz no longer exists.")]
    problems = []
    items = list(quiz.items.select_related("question", "bank", "topic"))
    count = sum(item.question_count for item in items)
    if not items:
        problems.append(_("The quiz “%(title)s” has no questions.") % {"title": quiz.title})
    fixed = {item.question_id for item in items if item.kind == QuizItem.Kind.FIXED}
    union: set[int] = set(fixed)
    for item in items:
        if item.kind == QuizItem.Kind.FIXED and item.question.archived_at is not None:
            problems.append(
                _("A question of “%(title)s” is archived: remove it from the quiz.") % {"title": quiz.title}
            )
        elif item.kind == QuizItem.Kind.DRAW:
            pool = {q.pk for q in _pool(item)} - fixed
            union |= pool
            if len(pool) < item.count:
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
            items.append({"kind": "fixed", "key": str(item.question.key)})
            questions[str(item.question.key)] = _frozen(item.question)
            continue
        pool = _pool(item)
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
        raise AssessmentError(" ".join(problems))
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
    return version


# --- GIFT import -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GiftImportResult:
    counts: dict[str, int]  # question type → how many
    created: int
    updated: int


def gift_import(*, bank: QuestionBank, source: str | bytes) -> GiftImportResult:
    """Import every question of a GIFT text into the bank, or nothing at all if any of it has an error.

    Runs the staged, batched path of kizuna.assessments.gift_imports in this process. A question whose
    ``// [id:…]`` names a question of this bank updates it; one whose id belongs to another bank is
    added as a copy with a new key.
    """
    from .gift_imports import gift_import_now  # it builds on this module

    return gift_import_now(bank=bank, source=source)


# --- Attempts ---------------------------------------------------------------------------------------------


def _require_rep(rep: Any) -> None:
    m = membership_of(rep)
    if m is None or not m.is_rep:
        raise AssessmentError(_("Only reps take quizzes."))


def _quiz_activity(version: QuizVersion, lesson: Any, *, with_lesson: bool = True) -> Activity:
    name = {"ja-JP": version.title}
    if lesson is None:
        return Activity(iri=quiz_iri(version), type=vocab.TYPE_ASSESSMENT, name=name)
    data = lesson_activity_data(lesson)
    parents = [data["iri"], *data["parents"]]
    if not with_lesson:
        # `completed` names the lesson only as a parent: records would otherwise take it for the lesson's own.
        return Activity(iri=quiz_iri(version), type=vocab.TYPE_ASSESSMENT, name=name, parents=parents)
    return Activity(
        iri=quiz_iri(version),
        type=vocab.TYPE_ASSESSMENT,
        name=name,
        course_id=data["course_id"],
        course_version_id=data["course_version_id"],
        lesson_id=data["lesson_id"],
        parents=parents,
    )


def _question_activity(key: str, question: dict[str, Any], qtype: QuestionType, *, parent: Activity | None) -> Activity:
    """The question as a cmi.interaction activity: interactionType, correctResponsesPattern and its parts."""
    name = {"ja-JP": (question.get("title") or question["text"])[:200]}
    definition = {"description": {"ja-JP": question["text"][:1000]}, **qtype.xapi_interaction()}
    if parent is None:
        return Activity(iri=question_iri(key), type=vocab.TYPE_INTERACTION, name=name, definition=definition)
    return Activity(
        iri=question_iri(key),
        type=vocab.TYPE_INTERACTION,
        name=name,
        definition=definition,
        course_id=parent.course_id,
        course_version_id=parent.course_version_id,
        lesson_id=parent.lesson_id,
        parents=[parent.iri, *parent.parents],
    )


def _score_result(verdict: Check) -> dict[str, Any]:
    scaled = round(verdict.score, 4)
    return {"score": {"scaled": scaled, "raw": scaled, "min": 0, "max": 1}, "success": verdict.correct}


def attempt_is_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    return attempt.deadline is not None and (now or timezone.now()) > attempt.deadline + ANSWER_GRACE


def _lock_rep(rep: Any) -> None:
    # One start at a time per rep, so two taps never both pass the attempts limit.
    list(get_user_model().objects.select_for_update(no_key=True).filter(pk=rep.pk).values_list("pk", flat=True))


def attempt_start(
    *,
    rep: Any,
    quiz_version: QuizVersion,
    lesson: Any = None,
    statement_id: uuid.UUID,
    timestamp: datetime | None = None,
) -> Attempt:
    """Start (or resume) the rep's attempt; the draw and the option orders come from the attempt's seed.

    An open attempt at the same version is resumed, not doubled; an open one that ran out of
    time, or is at an older version, is submitted first. Allowed attempts count per rep, quiz
    and lesson.
    """
    done = Attempt.objects.filter(start_statement=statement_id).first()
    if done is not None:
        if done.rep_id != rep.pk:
            raise AssessmentError(_("This request was already used."))
        return done
    _require_rep(rep)
    if lesson is not None and (lesson.kind not in ("quiz", "micro") or lesson.content_id != quiz_version.pk):
        raise AssessmentError(_("This quiz does not belong to this lesson."))
    now = timestamp or timezone.now()
    with transaction.atomic():
        _lock_rep(rep)
        attempts = Attempt.objects.filter(rep=rep, quiz_id=quiz_version.quiz_id, lesson=lesson)
        for open_attempt in attempts.filter(submitted_at__isnull=True):
            if open_attempt.quiz_version_id == quiz_version.pk and not attempt_is_expired(open_attempt, now):
                return open_attempt
            attempt_submit(
                rep=rep, attempt=open_attempt, statement_id=uuid.uuid5(open_attempt.key, "closed"), timestamp=now
            )
        used = attempts.aggregate(n=Max("number"))["n"] or 0
        if quiz_version.allowed_attempts and used >= quiz_version.allowed_attempts:
            raise AssessmentError(
                _("You have used all %(count)s attempts at this quiz.") % {"count": quiz_version.allowed_attempts}
            )
        number = used + 1
        layout = draw_layout(
            quiz_version,
            seed=attempt_seed(
                rep_id=rep.pk, version_id=quiz_version.pk, lesson_id=getattr(lesson, "pk", None), number=number
            ),
        )
        deadline = now + timedelta(minutes=quiz_version.time_limit_minutes) if quiz_version.time_limit_minutes else None
        registration = uuid.uuid4()
        try:
            st, created = statement_record(
                actor=rep,
                verb=vocab.ATTEMPTED,
                activity=_quiz_activity(quiz_version, lesson),
                extensions={
                    vocab.EXT_QUIZ_VERSION.iri: quiz_version.pk,
                    vocab.EXT_ATTEMPT.iri: {
                        "quiz": quiz_version.quiz_id,
                        "number": number,
                        "layout": layout,
                        "deadline": deadline.isoformat() if deadline else None,
                    },
                },
                statement_id=statement_id,
                timestamp=now,
                registration=registration,
            )
        except StatementError as exc:
            raise AssessmentError(str(exc)) from None
        attempt = Attempt.objects.filter(start_statement=st.id).first()
        if attempt is None:
            raise AssessmentError(_("This request was already used."))
        return attempt


def next_attempt_layout(*, rep: Any, quiz_version: QuizVersion, lesson: Any = None) -> list[dict[str, Any]]:
    """The layout attempt_start would give the rep's next attempt (to show a micro lesson's questions first)."""
    used = Attempt.objects.filter(rep=rep, quiz_id=quiz_version.quiz_id, lesson=lesson).aggregate(n=Max("number"))["n"]
    seed = attempt_seed(
        rep_id=rep.pk, version_id=quiz_version.pk, lesson_id=getattr(lesson, "pk", None), number=(used or 0) + 1
    )
    return draw_layout(quiz_version, seed=seed)


def _locked(attempt: Attempt) -> Attempt:
    # Only the attempt's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join
    # to the lesson (SQLite ignores FOR UPDATE, so only the bench on PostgreSQL shows it).
    locked = (
        Attempt.objects.select_for_update(of=("self",), no_key=True)
        .select_related("lesson__version__course")
        .get(pk=attempt.pk)
    )
    # The version is immutable: reuse the caller's copy rather than load its frozen questions again.
    field = Attempt._meta.get_field("quiz_version")
    if field.is_cached(attempt) and attempt.quiz_version_id == locked.quiz_version_id:
        locked.quiz_version = attempt.quiz_version
    else:
        locked.quiz_version = QuizVersion.objects.select_related("quiz").get(pk=locked.quiz_version_id)
    return locked


def answer_save(
    *,
    rep: Any,
    attempt: Attempt,
    question_key: str | uuid.UUID,
    answer: Any,
    statement_id: uuid.UUID,
    timestamp: datetime | None = None,
) -> AttemptAnswer:
    """Save the rep's answer to one question as they go (until submitted, and within the time limit).

    The same statement id again, or the same answer again, records nothing: a reload or a
    double tap never counts twice. Raises AnswerError if the answer cannot be read.
    """
    if attempt.rep_id != rep.pk:
        raise AssessmentError(_("This attempt is not yours."))
    key, now = str(question_key), timestamp or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        current = AttemptAnswer.objects.filter(attempt=attempt, question_key=key).first()
        if attempt.submitted_at is not None:
            raise AssessmentError(_("This attempt was already submitted: answers can no longer change."))
        if attempt_is_expired(attempt, now):
            raise AssessmentError(_("The time is up: answers can no longer be saved."))
        version = attempt.quiz_version
        if key not in {item["key"] for item in attempt.layout}:
            raise AssessmentError(_("This question is not part of this attempt."))
        qtype = snapshot_type(version, key)
        parsed = qtype.parse_answer(answer)
        if current is not None and current.answer == parsed:
            return current
        verdict = qtype.check(parsed)
        latest = attempt.answers.aggregate(m=Max("answered_at"))["m"] or attempt.started_at
        seconds = min(MAX_ANSWER_SECONDS, max(0.0, (now - max(latest, attempt.started_at)).total_seconds()))
        question = snapshot_question(version, key) or {}
        try:
            statement_record(
                actor=rep,
                verb=records_vocab.ANSWERED,
                activity=_question_activity(key, question, qtype, parent=_quiz_activity(version, attempt.lesson)),
                result={
                    **_score_result(verdict),
                    "response": qtype.response_text(parsed),
                    "duration": format_duration(seconds),
                    "extensions": {vocab.EXT_ANSWER.iri: parsed},
                },
                extensions={
                    vocab.EXT_QUIZ_VERSION.iri: version.pk,
                    vocab.EXT_TOPICS.iri: question.get("topics", []),
                },
                statement_id=statement_id,
                timestamp=now,
                registration=attempt.key,
            )
        except StatementError as exc:
            raise AssessmentError(str(exc)) from None
        return AttemptAnswer.objects.get(attempt=attempt, question_key=key)


def attempt_submit(
    *, rep: Any, attempt: Attempt, statement_id: uuid.UUID, timestamp: datetime | None = None
) -> Attempt:
    """Score and close the attempt (`completed`, then `passed` or `failed`); a quiz lesson passed is completed.

    Submitting again returns the first result and records nothing. Unanswered questions score 0.
    """
    if attempt.rep_id != rep.pk:
        raise AssessmentError(_("This attempt is not yours."))
    now = timestamp or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if attempt.submitted_at is not None:
            return attempt
        version = attempt.quiz_version
        scores = {str(a.question_key): a.score for a in attempt.answers.all()}
        keys = [item["key"] for item in attempt.layout]
        raw = sum(scores.get(key, 0.0) for key in keys)
        score = raw / len(keys) if keys else 0.0
        passed = score * 100 >= version.pass_mark - 1e-9
        result = {
            "score": {"scaled": round(score, 4), "raw": round(raw, 4), "min": 0, "max": len(keys)},
            "success": passed,
            "completion": True,
        }
        extensions = {vocab.EXT_QUIZ_VERSION.iri: version.pk}
        try:
            statement_record(
                actor=rep,
                verb=records_vocab.COMPLETED,
                activity=_quiz_activity(version, attempt.lesson, with_lesson=False),
                result=result,
                extensions=extensions,
                statement_id=statement_id,
                timestamp=now,
                registration=attempt.key,
            )
        except StatementError as exc:
            raise AssessmentError(str(exc)) from None
        statement_record(
            actor=rep,
            verb=records_vocab.PASSED if passed else records_vocab.FAILED,
            activity=_quiz_activity(version, attempt.lesson),
            result={"score": result["score"], "success": passed},
            extensions=extensions,
            statement_id=uuid.uuid5(statement_id, "outcome"),
            timestamp=now,
            registration=attempt.key,
        )
        if passed and attempt.lesson is not None:
            records.lesson_complete(
                rep=rep,
                lesson=attempt.lesson,
                by_content=True,
                statement_id=uuid.uuid5(statement_id, "lesson"),
                timestamp=now,
            )
        return Attempt.objects.select_related("quiz_version", "lesson").get(pk=attempt.pk)


def attempt_close_if_expired(*, attempt: Attempt, timestamp: datetime | None = None) -> Attempt:
    """Submit an open attempt whose time ran out (with the answers saved in time)."""
    now = timestamp or timezone.now()
    if attempt.submitted_at is None and attempt_is_expired(attempt, now):
        return attempt_submit(
            rep=attempt.rep, attempt=attempt, statement_id=uuid.uuid5(attempt.key, "expired"), timestamp=now
        )
    return attempt


# --- Spaced review -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewOutcome:
    check: Check
    card: ReviewCard
    recorded: bool  # False when the statement id had been used already (nothing changed)


def review_answer(
    *,
    rep: Any,
    question: Question,
    answer: Any,
    statement_id: uuid.UUID,
    seconds: float | None = None,
    timestamp: datetime | None = None,
) -> ReviewOutcome:
    """Answer a question of the rep's review; FSRS reschedules it (kizuna.assessments.spacing)."""
    _require_rep(rep)
    if not ReviewCard.objects.filter(rep=rep, question=question).exists():
        raise AssessmentError(_("This question is not in your review."))
    qtype = question_type(question.type, question.data)
    parsed = qtype.parse_answer(answer)
    verdict = qtype.check(parsed)
    result: dict[str, Any] = {
        **_score_result(verdict),
        "response": qtype.response_text(parsed),
        "extensions": {vocab.EXT_ANSWER.iri: parsed},
    }
    if seconds is not None and 0 <= seconds <= 3600:
        result["duration"] = format_duration(seconds)
    with transaction.atomic():
        try:
            _st, created = statement_record(
                actor=rep,
                verb=records_vocab.ANSWERED,
                activity=_question_activity(
                    str(question.key), {"title": question.title, "text": question.text}, qtype, parent=None
                ),
                result=result,
                extensions={
                    vocab.EXT_REVIEW.iri: True,
                    vocab.EXT_TOPICS.iri: sorted(t.slug for t in question.topics.all()),
                },
                statement_id=statement_id,
                timestamp=timestamp,
            )
        except StatementError as exc:
            raise AssessmentError(str(exc)) from None
        return ReviewOutcome(verdict, ReviewCard.objects.get(rep=rep, question=question), created)
