"""The quiz and micro lesson kinds, registered with the catalog's seam (kizuna.catalog.kinds).

A quiz lesson's content is a Quiz; a micro lesson is a video (the lesson's own
``video``) followed by a Quiz of 1–3 check questions. Publishing a course freezes
each quiz into a QuizVersion whose id the published lesson keeps.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from kizuna.catalog.kinds import ContentKind, register
from kizuna.orgs.access import membership_of

from . import selectors, services
from .models import Quiz


def _choices(user: Any, *, micro: bool = False) -> list[tuple[int, str]]:
    """Every quiz (content belongs to the principal, so any author may use any quiz), with its size.

    For a micro lesson the quizzes made as check questions of a micro lesson come first.
    """
    quizzes = Quiz.objects.prefetch_related("items").order_by(*(["-micro"] if micro else []), "title")
    return [
        (
            quiz.pk,
            _("%(title)s (%(count)s questions)") % {"title": quiz.title, "count": services.quiz_question_count(quiz)},
        )
        for quiz in quizzes
    ]


def _title(content_id: int) -> str | None:
    return Quiz.objects.filter(pk=content_id).values_list("title", flat=True).first()


def _problems(content_id: int, *, micro: bool) -> list[str]:
    return services.quiz_publish_problems(Quiz.objects.filter(pk=content_id).first(), micro=micro)


def _publish(content_id: int, publisher: Any, *, micro: bool) -> int:
    return services.quiz_publish(quiz=Quiz.objects.get(pk=content_id), publisher=publisher, micro=micro).pk


def _learner_context(request: HttpRequest, lesson: Any) -> dict[str, Any]:
    version = selectors.published_quiz(lesson)
    context: dict[str, Any] = {"quiz_version": version, "quiz_state": None, "questions": []}
    m = membership_of(request.user)
    if version is None or m is None or not m.is_rep:
        return context
    state = selectors.lesson_quiz_state(rep=request.user, lesson=lesson, version=version)
    context["quiz_state"] = state
    context["start_sid"] = uuid.uuid4()
    return context


def quiz_learner(request: HttpRequest, lesson: Any, progress: Any) -> tuple[str, dict[str, Any]]:
    return "assessments/learner_quiz.html", _learner_context(request, lesson)


def micro_learner(request: HttpRequest, lesson: Any, progress: Any) -> tuple[str, dict[str, Any]]:
    context = _learner_context(request, lesson)
    state, version = context["quiz_state"], context["quiz_version"]
    if state is not None and not state.passed and (state.open_attempt or state.can_start):
        # The check questions are on the lesson page itself: the layout of the open attempt, or the next one's.
        if state.open_attempt is not None:
            layout, answers = state.open_attempt.layout, selectors.attempt_answers(state.open_attempt)
        else:
            layout, answers = services.next_attempt_layout(rep=request.user, quiz_version=version, lesson=lesson), {}
        context["questions"] = selectors.player_questions(version=version, layout=layout, answers=answers)
        context["submit_sid"] = uuid.uuid4()
    return "assessments/learner_micro.html", context


def register_kinds() -> None:
    register(
        ContentKind(
            kind="quiz",
            choices=_choices,
            publish_problems=lambda content_id: _problems(content_id, micro=False),
            publish=lambda content_id, publisher: _publish(content_id, publisher, micro=False),
            learner=quiz_learner,
            title=_title,
        )
    )
    register(
        ContentKind(
            kind="micro",
            choices=lambda user: _choices(user, micro=True),
            publish_problems=lambda content_id: _problems(content_id, micro=True),
            publish=lambda content_id, publisher: _publish(content_id, publisher, micro=True),
            learner=micro_learner,
            uses_video=True,
            title=_title,
        )
    )
