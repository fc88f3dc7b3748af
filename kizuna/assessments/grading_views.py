"""Grading essays: the queue of attempts waiting for a grade, and one attempt's essays with their rubric.

Coaches and admins grade any rep; a partner manager only their own agency's reps (404 otherwise).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kizuna.ops.errors import message_user
from kizuna.orgs.access import Role, role_required

from . import selectors, services
from .errors import AssessmentError

graders = role_required(Role.ADMIN, Role.COACH, Role.MANAGER)

PER_PAGE = 30


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return uuid.uuid4()


@graders
def grading_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.grading_queue(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "assessments/grading_list.html", {"page": page})


@graders
def grading_attempt(request: HttpRequest, quiz_attempt_id: int) -> HttpResponse:
    """GET: the attempt's essays with the rep's answers and each rubric. POST: grade one essay."""
    attempt = selectors.access_attempt_for_grader(request.user, quiz_attempt_id)
    status = 200
    if request.method == "POST":
        key = request.POST.get("question", "")
        levels = {name[len("level-") :]: value for name, value in request.POST.items() if name.startswith("level-")}
        try:
            attempt = services.essay_grade(
                grader=request.user,
                attempt=attempt,
                question_key=key,
                levels=levels,
                feedback=request.POST.get("feedback", ""),
                statement_id=_uuid(request.POST.get("sid")),
            )
        except AssessmentError as exc:
            message_user(request, exc)
            status = 400
        else:
            if attempt.grading_pending:
                messages.success(request, _("Grade saved."))
            else:
                messages.success(request, _("Every essay is graded: the rep's score is final and they were told."))
            return redirect("assessments:grading_attempt", quiz_attempt_id=attempt.pk)
    return render(
        request,
        "assessments/grading_attempt.html",
        {"attempt": attempt, "essays": selectors.attempt_essays(attempt)},
        status=status,
    )
