"""The rep's quiz: start or resume an attempt, save answers as they go, submit; and the result with explanations.

Thin on purpose: the author's screens and the review screen are built on the same
services and selectors elsewhere.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.catalog.selectors import access_lesson_for_user
from kizuna.ops.errors import message_user
from kizuna.orgs.access import membership_of
from kizuna.records.services import StatementError, late_event_at

from . import selectors, services
from .errors import AssessmentError
from .models import Attempt, QuizVersion
from .published import snapshot_type
from .types.base import AnswerError


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return uuid.uuid4()


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answered_at(request: HttpRequest, version: QuizVersion) -> datetime | None:
    """When the rep answered, for answers kept on a phone while offline and sent later (the form's ``at``).

    A quiz with a time limit is always timed by the server's clock, so ``at`` is ignored there.
    """
    raw = request.POST.get("at", "")
    if not raw or version.time_limit_minutes:
        return None
    try:
        return late_event_at(raw, unreadable=_("The time of these answers could not be read."))
    except StatementError as exc:
        raise AssessmentError(str(exc)) from None


def _save_answers(
    request: HttpRequest, attempt: Attempt, *, only: str | None = None, at: datetime | None = None
) -> dict[str, str]:
    """Save every answered question of the posted form; return {question key: what to fix} for unreadable ones."""
    errors: dict[str, str] = {}
    for item in attempt.layout:
        key = item["key"]
        if only is not None and key != only:
            continue
        answer = snapshot_type(attempt.quiz_version, key).answer_from_form(request.POST, f"q-{key}")
        if answer is None:
            continue
        try:
            services.answer_save(
                rep=request.user,
                attempt=attempt,
                question_key=key,
                answer=answer,
                statement_id=_uuid(request.POST.get(f"sid-{key}")),
                timestamp=at,
            )
        except AnswerError as exc:
            errors[key] = str(exc)
    return errors


def _player(
    request: HttpRequest, lesson: Any, attempt: Attempt, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    answers = selectors.attempt_answers(attempt)
    questions = selectors.player_questions(version=attempt.quiz_version, layout=attempt.layout, answers=answers)
    for q in questions:
        q.error = (errors or {}).get(q.key, "")
        q.saved = q.key in answers
    return render(
        request,
        "assessments/attempt.html",
        {
            "lesson": lesson,
            "attempt": attempt,
            "version": attempt.quiz_version,
            "questions": questions,
            "answered": sum(1 for q in questions if q.saved),
            "question_total": sum(1 for q in questions if not q.is_description),
            "submit_sid": uuid.uuid4(),
            "autosave": True,
            "server_now_ms": int(timezone.now().timestamp() * 1000),
        },
        status=status,
    )


@login_required
def quiz_attempt(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """GET: the open attempt's questions (else back to the lesson). POST: start, save, or save and submit."""
    lesson = access_lesson_for_user(request.user, lesson_id)
    m = membership_of(request.user)
    version: QuizVersion | None = selectors.published_quiz(lesson)
    if version is None or m is None or not m.is_rep:
        if request.method == "POST":
            raise Http404
        return redirect("learning:lesson", lesson_id=lesson.pk)
    if request.method != "POST":
        state = selectors.lesson_quiz_state(rep=request.user, lesson=lesson, version=version)
        if state.open_attempt is None:
            return redirect("learning:lesson", lesson_id=lesson.pk)
        attempt = services.attempt_close_if_expired(attempt=state.open_attempt)
        if attempt.submitted_at is not None:
            messages.warning(request, _("The time ran out, so your answers were submitted."))
            return redirect("assessments:quiz_attempt_result", quiz_attempt_id=attempt.pk)
        return _player(request, lesson, attempt)

    action = request.POST.get("action", "submit")
    try:
        at = _answered_at(request, version)
        if action == "start":
            services.attempt_start(
                rep=request.user, quiz_version=version, lesson=lesson, statement_id=_uuid(request.POST.get("sid"))
            )
            return redirect("assessments:quiz_attempt", lesson_id=lesson.pk)
        attempt = selectors.rep_attempt_by_key(
            rep=request.user, lesson=lesson, key=request.POST.get("attempt"), version=version
        )
        if attempt is None and lesson.kind != "micro":
            raise AssessmentError(_("This attempt is no longer open. Start the quiz again from the lesson."))
        if attempt is None:
            # A micro lesson's form starts its attempt with its first post (the same id on a double tap).
            attempt = services.attempt_start(
                rep=request.user,
                quiz_version=version,
                lesson=lesson,
                statement_id=_uuid(request.POST.get("start_sid")),
                timestamp=at,
            )
        if attempt.submitted_at is not None:
            # A second tap on submit, or an old tab: the result stands as it was.
            if _wants_json(request):
                return JsonResponse({"error": _("This attempt was already submitted.")}, status=409)
            return redirect("assessments:quiz_attempt_result", quiz_attempt_id=attempt.pk)
        if services.attempt_is_expired(attempt):
            # Time ran out (a late save, or a submit after the grace): what was saved in time stands.
            attempt = services.attempt_close_if_expired(attempt=attempt)
            if _wants_json(request):
                return JsonResponse({"error": _("The time is up: answers can no longer be saved.")}, status=409)
            messages.warning(request, _("The time ran out, so your answers were submitted."))
            return redirect("assessments:quiz_attempt_result", quiz_attempt_id=attempt.pk)
        if action == "save":
            errors = _save_answers(request, attempt, only=request.POST.get("question"), at=at)
            if _wants_json(request):
                return JsonResponse({"saved": not errors, "errors": errors}, status=400 if errors else 200)
            return _player(request, lesson, attempt, errors, status=400 if errors else 200)
        errors = _save_answers(request, attempt, at=at)
        if errors:
            messages.error(request, _("Some answers could not be read. Fix them and submit again."))
            return _player(request, lesson, attempt, errors, status=400)
        attempt = services.attempt_submit(
            rep=request.user, attempt=attempt, statement_id=_uuid(request.POST.get("submit_sid")), timestamp=at
        )
    except AssessmentError as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc)}, status=409)
        message_user(request, exc)
        return redirect("learning:lesson", lesson_id=lesson.pk)
    return redirect("assessments:quiz_attempt_result", quiz_attempt_id=attempt.pk)


@login_required
def quiz_attempt_result(request: HttpRequest, quiz_attempt_id: int) -> HttpResponse:
    """The score, each answer right or wrong, the feedback and the explanations (the rep, their manager, staff)."""
    attempt = selectors.access_attempt_for_user(request.user, quiz_attempt_id)
    own = attempt.rep_id == request.user.pk
    if attempt.submitted_at is None and own:
        attempt = services.attempt_close_if_expired(attempt=attempt)
        if attempt.submitted_at is None and attempt.lesson_id:
            return redirect("assessments:quiz_attempt", lesson_id=attempt.lesson_id)
    state = None
    if own and attempt.lesson_id:
        state = selectors.lesson_quiz_state(rep=request.user, lesson=attempt.lesson, version=attempt.quiz_version)
    return render(
        request,
        "assessments/result.html",
        {
            "attempt": attempt,
            "result": selectors.attempt_result(attempt) if attempt.submitted_at else None,
            "own": own,
            "state": state,
            "retry_sid": uuid.uuid4(),
        },
    )
