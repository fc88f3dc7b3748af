"""Writes of a rep's quiz attempts: starting, answering, submitting, closing when the time is up.

Reps' writes record statements only (kizuna.records.services.statement_record); the
rows they read back (Attempt, AttemptAnswer…) are projections of those statements
(kizuna.assessments.projections)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.catalog.selectors import lesson_activity_data
from kizuna.orgs.access import membership_of
from kizuna.records import services as records
from kizuna.records import vocab as records_vocab
from kizuna.records.projections import reps_hold
from kizuna.records.services import Activity, StatementError, format_duration, statement_record

from .. import vocab
from ..errors import AssessmentError
from ..models import Attempt, AttemptAnswer, QuizVersion
from ..published import attempt_seed, draw_layout, question_iri, quiz_iri, snapshot_question, snapshot_type
from ..types.base import Check, QuestionType

# Answers that arrive this long after the deadline still count (the network is not the rep's fault).
ANSWER_GRACE = timedelta(seconds=5)
# An answer's time is the time since the attempt's previous answer, at most this long.
MAX_ANSWER_SECONDS = 120.0


def require_rep(rep: Any) -> None:
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


def question_activity(key: str, question: dict[str, Any], qtype: QuestionType, *, parent: Activity | None) -> Activity:
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


def score_result(verdict: Check) -> dict[str, Any]:
    scaled = round(verdict.score, 4)
    return {"score": {"scaled": scaled, "raw": scaled, "min": 0, "max": 1}, "success": verdict.correct}


def attempt_is_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    return attempt.deadline is not None and (now or timezone.now()) > attempt.deadline + ANSWER_GRACE


def _lock_rep(rep: Any) -> None:
    # One start at a time per rep, so two taps never both pass the attempts limit. On PostgreSQL the lock that
    # also keeps a rebuild of the rep out (and waits for one under way), before their attempts are read.
    if connection.vendor == "postgresql":
        reps_hold(rep.pk)
        return
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
    require_rep(rep)
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
    # A rebuild of the rep under way ends first (`reps_hold`); it replaces the attempt's row, so the row is
    # found again by its key (the statements' registration), which a rebuild keeps, not by the id read before.
    reps_hold(attempt.rep_id)
    # Only the attempt's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join
    # to the lesson (SQLite ignores FOR UPDATE, so only the bench on PostgreSQL shows it).
    locked = (
        Attempt.objects.select_for_update(of=("self",), no_key=True)
        .select_related("lesson__version__course")
        .get(key=attempt.key)
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
                activity=question_activity(key, question, qtype, parent=_quiz_activity(version, attempt.lesson)),
                result={
                    **score_result(verdict),
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
        answers = {str(a.question_key): a for a in attempt.answers.all()}
        # Essays answered wait for a coach or the rep's manager; unanswered ones simply score 0.
        pending = [key for key in manual_keys(attempt) if key in answers]
        extensions: dict[str, Any] = {vocab.EXT_QUIZ_VERSION.iri: version.pk}
        if pending:
            result: dict[str, Any] = {"completion": True}
            extensions[vocab.EXT_GRADING.iri] = {"pending": pending}
        else:
            result = {**attempt_outcome(attempt, {k: a.score for k, a in answers.items()}), "completion": True}
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
        if not pending:
            attempt_outcome_record(attempt=attempt, result=result, statement_id=statement_id, timestamp=now)
        else:
            from .grading import grading_requested_notify

            grading_requested_notify(attempt=attempt, count=len(pending))
        return Attempt.objects.select_related("quiz_version", "lesson").get(pk=attempt.pk)


def scored_keys(attempt: Attempt) -> list[str]:
    """The keys of the attempt's questions that count in its score (descriptions score nothing)."""
    version = attempt.quiz_version
    return [item["key"] for item in attempt.layout if snapshot_type(version, item["key"]).scored]


def manual_keys(attempt: Attempt) -> list[str]:
    """The keys of the attempt's essays: a person scores them."""
    version = attempt.quiz_version
    return [item["key"] for item in attempt.layout if snapshot_type(version, item["key"]).manual]


def attempt_outcome(attempt: Attempt, scores: dict[str, float]) -> dict[str, Any]:
    """The xAPI result of an attempt whose every answer has its score: the mean over its scored questions."""
    keys = scored_keys(attempt)
    raw = sum(scores.get(key, 0.0) for key in keys)
    score = raw / len(keys) if keys else 0.0
    passed = score * 100 >= attempt.quiz_version.pass_mark - 1e-9
    return {"score": {"scaled": round(score, 4), "raw": round(raw, 4), "min": 0, "max": len(keys)}, "success": passed}


def attempt_outcome_record(
    *,
    attempt: Attempt,
    result: dict[str, Any],
    statement_id: uuid.UUID,
    timestamp: datetime,
    extensions: dict[str, Any] | None = None,
) -> None:
    """`passed` or `failed` for the rep, and a passed quiz lesson completed (at submission, or once graded)."""
    version, rep = attempt.quiz_version, attempt.rep
    passed = bool(result["success"])
    statement_record(
        actor=rep,
        verb=records_vocab.PASSED if passed else records_vocab.FAILED,
        activity=_quiz_activity(version, attempt.lesson),
        result={"score": result["score"], "success": passed},
        extensions={vocab.EXT_QUIZ_VERSION.iri: version.pk, **(extensions or {})},
        statement_id=uuid.uuid5(statement_id, "outcome"),
        timestamp=timestamp,
        registration=attempt.key,
    )
    if passed and attempt.lesson is not None:
        records.lesson_complete(
            rep=rep,
            lesson=attempt.lesson,
            by_content=True,
            statement_id=uuid.uuid5(statement_id, "lesson"),
            timestamp=timestamp,
        )


def attempt_close_if_expired(*, attempt: Attempt, timestamp: datetime | None = None) -> Attempt:
    """Submit an open attempt whose time ran out (with the answers saved in time)."""
    now = timestamp or timezone.now()
    if attempt.submitted_at is None and attempt_is_expired(attempt, now):
        return attempt_submit(
            rep=attempt.rep, attempt=attempt, statement_id=uuid.uuid5(attempt.key, "expired"), timestamp=now
        )
    return attempt
