"""Reads of the learner's quiz: the lesson's state, the player's questions, attempts and their results."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from kizuna.orgs.access import (
    Role,
    access_rep_for_user,
    has_role,
    visible_reps,
)

from ..models import (
    Attempt,
    AttemptAnswer,
    Quiz,
    QuizVersion,
)
from ..published import snapshot_question
from ..types import question_type


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
    number: int  # among the attempt's questions (0 for a description, which is no question)
    key: str
    title: str
    text_html: str
    type: str
    render: dict[str, Any]
    error: str = ""
    total: int = 0  # how many questions the attempt shows (descriptions aside)
    is_description: bool = False
    # A fresh statement id for this question's answer as rendered: a double tap posts the same one.
    sid: str = field(default_factory=lambda: str(uuid.uuid4()))


def player_questions(
    *, version: QuizVersion, layout: list[dict[str, Any]], answers: dict[str, Any] | None = None
) -> list[PlayerQuestion]:
    """The questions of an attempt (or of the attempt about to start) as the player shows them."""
    answers = answers or {}
    shown = []
    number = 0
    for item in layout:
        q = snapshot_question(version, item["key"])
        if q is None:
            continue
        qtype = question_type(q["type"], q["data"])
        number += qtype.scored
        shown.append(
            PlayerQuestion(
                number=number if qtype.scored else 0,
                key=item["key"],
                title=q["title"],
                text_html=q["text_html"],
                type=q["type"],
                render=qtype.render(name=f"q-{item['key']}", order=item["order"], answer=answers.get(item["key"])),
                is_description=not qtype.scored,
            )
        )
    for question in shown:
        question.total = number
    return shown


def attempt_answers(attempt: Attempt) -> dict[str, Any]:
    """The saved answers of an attempt: {question key: answer JSON}."""
    return {str(a.question_key): a.answer for a in attempt.answers.all()}


@dataclass
class QuestionResult:
    number: int
    text_html: str
    is_description: bool = field(default=False, kw_only=True)
    # An essay: waiting for its grade, or graded (the feedback of the coach or manager, by name).
    is_essay: bool = field(default=False, kw_only=True)
    grade_pending: bool = field(default=False, kw_only=True)
    grader_feedback: str = field(default="", kw_only=True)
    graded_by: str = field(default="", kw_only=True)
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

    @property
    def question_total(self) -> int:
        """How many questions the attempt showed (descriptions are none)."""
        return sum(1 for q in self.questions if not q.is_description)


def _shown_questions(attempt: Attempt) -> Iterator[tuple[int, str, dict[str, Any], Any, AttemptAnswer | None]]:
    """Walk what the attempt showed, in order: (question number, key, snapshot, type, saved answer).

    Descriptions count no number (they share the number of the question before them).
    """
    version = attempt.quiz_version
    answers = {str(a.question_key): a for a in attempt.answers.select_related("graded_by")}
    number = 0
    for item in attempt.layout:
        q = snapshot_question(version, item["key"])
        if q is None:
            continue
        qtype = question_type(q["type"], q["data"])
        number += qtype.scored
        yield number, item["key"], q, qtype, answers.get(item["key"])


def attempt_result(attempt: Attempt) -> AttemptResult:
    """What the rep sees after submitting: score, each answer right or wrong, the feedback and the explanations."""
    results = []
    for number, _key, q, qtype, saved in _shown_questions(attempt):
        verdict = qtype.check(saved.answer) if saved and not qtype.manual else None
        results.append(
            QuestionResult(
                is_description=not qtype.scored,
                is_essay=qtype.manual,
                grade_pending=bool(qtype.manual and saved and attempt.grading_pending),
                grader_feedback=saved.feedback if saved and not attempt.grading_pending else "",
                graded_by=str(saved.graded_by) if saved and saved.graded_by and not attempt.grading_pending else "",
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


def _grader_attempts(user: Any) -> QuerySet[Attempt]:
    if not has_role(user, Role.ADMIN, Role.COACH, Role.MANAGER):
        return Attempt.objects.none()
    return Attempt.objects.filter(rep__in=visible_reps(user))


def grading_queue(user: Any) -> QuerySet[Attempt]:
    """Submitted attempts whose essays wait for a grade, oldest first: a manager sees their agency's reps only."""
    return (
        _grader_attempts(user)
        .filter(grading_pending=True)
        .select_related("rep", "quiz_version", "lesson")
        .order_by("submitted_at", "id")
    )


def access_attempt_for_grader(user: Any, attempt_id: int) -> Attempt:
    """An attempt with essays this person may grade (coaches, admins; a manager: their agency's reps), or 404."""
    try:
        return (
            _grader_attempts(user)
            .filter(submitted_at__isnull=False)
            .select_related("rep", "quiz_version", "lesson")
            .get(pk=attempt_id)
        )
    except (Attempt.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class EssayToGrade:
    key: str
    number: int
    title: str
    text_html: str
    answer: str  # "" when left blank (nothing to grade: it scores 0)
    rubric: list[dict[str, Any]]  # criteria, each with "choices": [{level, text, checked}]
    levels: dict[str, int]  # the grade given so far, criterion id → level
    feedback: str
    graded_by: str
    score: float | None
    # A fresh statement id for the grade as rendered: a double tap posts the same one.
    sid: str = field(default_factory=lambda: str(uuid.uuid4()))


def attempt_essays(attempt: Attempt) -> list[EssayToGrade]:
    """The essays of an attempt, each with the rep's answer, its rubric and the grade given so far."""
    from ..types.open import essay_rubric

    essays = []
    for number, key, q, qtype, saved in _shown_questions(attempt):
        if not qtype.manual:
            continue
        graded = saved is not None and saved.graded_at is not None
        given = (saved.rubric_levels or {}) if graded and saved else {}
        rubric = [
            {
                **criterion,
                "choices": [
                    {"level": n, "text": text, "checked": given.get(str(criterion["id"])) == n}
                    for n, text in enumerate(criterion["levels"], start=1)
                ],
            }
            for criterion in essay_rubric(q["data"])
        ]
        essays.append(
            EssayToGrade(
                key=key,
                number=number,
                title=q["title"],
                text_html=q["text_html"],
                answer=saved.answer.get("text", "") if saved else "",
                rubric=rubric,
                levels=given,
                feedback=saved.feedback if graded and saved else "",
                graded_by=str(saved.graded_by) if graded and saved and saved.graded_by else "",
                score=saved.score if graded and saved else None,
            )
        )
    return essays


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
