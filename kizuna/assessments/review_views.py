"""The rep's spaced review ("today's 3-minute review") and their retention per topic.

One question per screen: a rep answers, sees right or wrong with the feedback and the
explanation, and FSRS moves the question's next review (services.review_answer). Each
form carries a statement id made when it was drawn, so a double tap or a reload of the
answer records one answer only.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kizuna.ops.errors import message_user
from kizuna.ops.repcache import kept, rep_page
from kizuna.orgs.access import Role, role_required
from kizuna.records.services import StatementError, late_event_at

from . import selectors, services
from .errors import AssessmentError
from .types.base import AnswerError

rep_only = role_required(Role.REP)

MAX_SECONDS = 3600


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return uuid.uuid4()


def _form_context(item: selectors.ReviewItem, *, remaining: int, answer: Any = None, error: str = "") -> dict:
    return {
        "item": item,
        "render": item.qtype.render(name="answer", order=None, answer=answer),
        "sid": uuid.uuid4(),
        "shown": int(time.time()),
        "remaining": remaining,
        "error": error,
    }


@rep_only
@require_GET
@rep_page()
def review(request: HttpRequest) -> HttpResponse:
    """The next question due today, or "done for today" with when the next one comes."""
    rep = request.user

    def today() -> tuple[Any, ...]:
        due = selectors.review_due(rep, limit=1)
        if not due:
            return (None, selectors.review_next_due(rep), selectors.home_review(rep))
        return (due[0], selectors.review_due_count(rep), None)

    # Kept until the rep answers (their statement renews it) or the day turns (ops.repcache).
    item, found, home = kept(rep, {"review": today})["review"]
    if item is None:
        return render(request, "assessments/review_done.html", {"next_due": found, "home": home})
    return render(request, "assessments/review.html", _form_context(item, remaining=found))


def _offline_answer(request: HttpRequest) -> tuple[Any, float | None] | None:
    """When and how long, for an answer kept on a phone offline and sent later (the form's ``at`` and
    ``seconds``): None for an answer given online (timed by the server from ``shown``)."""
    try:
        at = late_event_at(request.POST.get("at", ""), unreadable=_("The time of these answers could not be read."))
    except StatementError as exc:
        raise AssessmentError(str(exc)) from None
    if at is None:
        return None
    try:
        seconds: float | None = min(MAX_SECONDS, max(0.0, float(request.POST.get("seconds", ""))))
    except ValueError:
        seconds = None
    return at, seconds


@rep_only
@require_http_methods(["GET", "POST"])
def review_question(request: HttpRequest, question_id: int) -> HttpResponse:
    """GET: this question of the rep's review. POST: answer it, reschedule it, and show right or wrong."""
    question = selectors.access_review_question_for_user(request.user, question_id)
    item = selectors.review_item(request.user, question)
    if request.method != "POST":
        return render(
            request,
            "assessments/review.html",
            _form_context(item, remaining=selectors.review_due_count(request.user)),
        )
    answer = item.qtype.answer_from_form(request.POST, "answer")
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        if answer is None:
            raise AnswerError(_("Answer the question first."))
        offline = _offline_answer(request)
        at: Any = None
        seconds: float | None
        if offline is not None:
            at, seconds = offline
        else:
            try:
                seconds = min(MAX_SECONDS, max(0.0, time.time() - float(request.POST.get("shown", ""))))
            except ValueError:
                seconds = None
        outcome = services.review_answer(
            rep=request.user,
            question=question,
            answer=answer,
            statement_id=_uuid(request.POST.get("sid")),
            seconds=seconds,
            timestamp=at,
        )
    except (AnswerError, AssessmentError) as exc:
        if wants_json:
            return JsonResponse({"error": str(exc)}, status=400)
        if isinstance(exc, AssessmentError):
            message_user(request, exc)
            return redirect("assessments:review")
        context = _form_context(item, remaining=selectors.review_due_count(request.user), answer=answer, error=str(exc))
        context["sid"] = request.POST.get("sid") or context["sid"]
        return render(request, "assessments/review.html", context, status=400)
    if wants_json:
        # An answer sent late from the phone's outbox: the phone shows the result it gets here.
        return JsonResponse(
            {
                "review": True,
                "scored": True,
                "question": str(question),
                "correct": bool(outcome.check.correct),
                "next_review": timezone.localtime(outcome.card.due).date().isoformat(),
            }
        )
    parsed = item.qtype.parse_answer(answer)
    return render(
        request,
        "assessments/review_answer.html",
        {
            "item": item,
            "check": outcome.check,
            "your_answer": item.qtype.answer_display(parsed),
            "right_answer": item.qtype.correct_display(),
            "feedback": [text for text in outcome.check.feedback.values() if text],
            "explanation_html": selectors.question_preview(question)["explanation_html"],
            "next_review": timezone.localtime(outcome.card.due),
            "remaining": selectors.review_due_count(request.user),
        },
    )


@rep_only
@require_GET
def review_retention(request: HttpRequest) -> HttpResponse:
    """The rep's own retention per topic (FSRS's estimate now) and their weakest recent topics."""
    return render(
        request,
        "assessments/review_retention.html",
        {
            "retention": selectors.retention_by_topic(request.user, rep=request.user),
            "weak_topics": selectors.weak_topics(request.user, rep=request.user),
            "home": selectors.home_review(request.user),
        },
    )
