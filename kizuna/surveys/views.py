"""Screens of surveys: the author's studio, a rep's answering, and the results with their CSV export."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.audit.services import audit_export
from kizuna.catalog.selectors import access_lesson_for_user
from kizuna.ops.errors import add_to_form, message_user
from kizuna.ops.spreadsheets import csv_streaming_response
from kizuna.orgs.access import Role, membership_of, role_required

from . import selectors, services
from .forms import QuestionForm, SendForm, SurveyForm
from .models import SurveyVersion
from .services import SurveyError

authoring = role_required(Role.ADMIN, Role.AUTHOR)


def _studio_url(survey_id: int, anchor: str = "") -> str:
    return reverse("surveys:studio_survey", args=[survey_id]) + (f"#{anchor}" if anchor else "")


# The studio


@authoring
@require_http_methods(["GET", "POST"])
def studio_surveys(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(
            author=request.user, title=form.cleaned_data["title"], intro=form.cleaned_data["intro"]
        )
        messages.success(request, _("The survey was created. Add its questions next."))
        return redirect(_studio_url(survey.pk))
    return render(request, "surveys/studio_list.html", {"form": form, "surveys": selectors.studio_surveys()})


@authoring
@require_http_methods(["GET", "POST"])
def studio_survey(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.access_draft_survey_for_user(request.user, survey_id)
    form = SurveyForm(request.POST or None, initial={"title": survey.title, "intro": survey.intro})
    if request.method == "POST" and form.is_valid():
        services.survey_update(survey=survey, title=form.cleaned_data["title"], intro=form.cleaned_data["intro"])
        messages.success(request, _("Saved."))
        return redirect(_studio_url(survey.pk))
    return _studio_page(request, survey, form=form, status=400 if form.is_bound else 200)


def _studio_page(request: HttpRequest, survey: Any, status: int = 400, **forms: Any) -> HttpResponse:
    context = {
        "survey": survey,
        "form": forms.get("form") or SurveyForm(initial={"title": survey.title, "intro": survey.intro}),
        "question_form": forms.get("question_form") or QuestionForm(),
        "send_form": forms.get("send_form") or SendForm(),
        "questions": selectors.survey_draft_questions(survey),
        "problems": services.survey_publish_problems(survey),
        "sends": selectors.survey_sends(survey)[:50],
    }
    return render(request, "surveys/studio_survey.html", context, status=status)


@authoring
@require_POST
def studio_survey_question_add(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.access_draft_survey_for_user(request.user, survey_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_question_add(
                survey=survey,
                kind=data["kind"],
                text=data["text"],
                options=form.option_list(),
                required=data["required"],
            )
        except SurveyError as error:
            add_to_form(form, error)
        else:
            messages.success(request, pgettext("survey", "The question was added."))
            return redirect(_studio_url(survey.pk, "questions"))
    return _studio_page(request, survey, question_form=form)


@authoring
@require_POST
def studio_survey_question_delete(request: HttpRequest, survey_question_id: int) -> HttpResponse:
    question = selectors.access_question_for_user(request.user, survey_question_id)
    survey_id = question.survey_id
    services.survey_question_delete(question=question)
    messages.success(request, _("The question was deleted."))
    return redirect(_studio_url(survey_id, "questions"))


@authoring
@require_POST
def studio_survey_question_move(request: HttpRequest, survey_question_id: int) -> HttpResponse:
    question = selectors.access_question_for_user(request.user, survey_question_id)
    services.survey_question_move(question=question, direction=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(_studio_url(question.survey_id, "questions"))


@authoring
@require_POST
def studio_survey_publish(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.access_draft_survey_for_user(request.user, survey_id)
    try:
        version = services.survey_publish(survey=survey, publisher=request.user)
    except SurveyError as error:
        message_user(request, error)
    else:
        messages.success(request, _("Published as version %(number)s.") % {"number": version.number})
    return redirect(_studio_url(survey.pk))


@authoring
@require_POST
def studio_survey_send(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.access_draft_survey_for_user(request.user, survey_id)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            sends = services.survey_send(
                survey=survey,
                sent_by=request.user,
                partners=list(form.cleaned_data["partners"]),
                teams=list(form.cleaned_data["teams"]),
                due_at=form.due_at(),
            )
        except SurveyError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Sent to %(count)s partners or teams.") % {"count": len(sends)})
            return redirect(_studio_url(survey.pk, "send"))
    return _studio_page(request, survey, send_form=form)


# Answering


@login_required
@require_GET
def surveys(request: HttpRequest) -> HttpResponse:
    """A rep's surveys to answer; a manager's agency's surveys; every survey for the principal's staff."""
    m = membership_of(request.user)
    if m is None:
        raise Http404
    if m.is_rep:
        return render(request, "surveys/rep_list.html", {"rows": selectors.surveys_for_rep(request.user)})
    listed = selectors.surveys_for_manager(request.user) if m.is_manager else selectors.studio_surveys()
    return render(request, "surveys/results_list.html", {"surveys": listed})


def _answer_data(request: HttpRequest) -> dict[str, list[str]]:
    return {key: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}


def _statement_id(request: HttpRequest) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get("sid", ""))
    except ValueError:
        return uuid.uuid4()


def _submit(request: HttpRequest, version: SurveyVersion, lesson: Any = None) -> tuple[bool, dict[str, str]]:
    """Submit the posted answers; return (stored, errors by question key)."""
    try:
        _response, created = services.survey_response_submit(
            rep=request.user,
            version=version,
            data=_answer_data(request),
            statement_id=_statement_id(request),
            lesson=lesson,
        )
    except SurveyError as error:
        message_user(request, error)
        return False, error.errors
    if created:
        messages.success(request, _("Thank you for your answers."))
    else:
        messages.info(request, _("You have already answered this survey."))
    return True, {}


@role_required(Role.REP)
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, survey_version_id: int) -> HttpResponse:
    version = selectors.access_version_for_rep(request.user, survey_version_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        stored, errors = _submit(request, version)
        if stored:
            return redirect("surveys:surveys")
    context = {
        "survey_version": version,
        "survey_response": selectors.response_of(rep=request.user, version=version),
        "survey_sid": request.POST.get("sid") or uuid.uuid4(),
        "survey_fields": selectors.answer_fields(version, values=_answer_data(request), errors=errors),
    }
    return render(request, "surveys/answer.html", context, status=400 if errors else 200)


@role_required(Role.REP)
@require_POST
def survey_lesson_answer(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = access_lesson_for_user(request.user, lesson_id)
    version = selectors.published_version(lesson.content_id) if lesson.kind == "survey" else None
    if version is None:
        return redirect("learning:lesson", lesson.pk)  # not a survey lesson: nothing to answer here
    stored, errors = _submit(request, version, lesson=lesson)
    if stored:
        return redirect("learning:lesson", lesson.pk)
    context = {
        "lesson": lesson,
        "survey_version": version,
        "survey_response": None,
        "survey_sid": request.POST.get("sid") or uuid.uuid4(),
        "survey_fields": selectors.answer_fields(version, values=_answer_data(request), errors=errors),
    }
    return render(request, "surveys/answer.html", context, status=400)


# Results


def _chosen_version(request: HttpRequest, survey: Any) -> tuple[list[SurveyVersion], SurveyVersion | None]:
    versions = selectors.survey_versions(survey)
    wanted = request.GET.get("version", "")
    chosen = next((v for v in versions if str(v.number) == wanted), None)
    return versions, chosen or (versions[0] if versions else None)


@login_required
@require_GET
def survey_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.access_survey_for_results(request.user, survey_id)
    partner_ids = selectors.result_partner_ids(request.user)
    versions, version = _chosen_version(request, survey)
    context: dict[str, Any] = {"survey": survey, "versions": versions, "version": version}
    if version is not None:
        context.update(
            results=selectors.survey_results(version=version, partner_ids=partner_ids),
            per_partner=selectors.results_per_partner(version=version, partner_ids=partner_ids),
            scale_questions=selectors.scale_questions(version),
            can_author=membership_of(request.user).role in (Role.ADMIN, Role.AUTHOR),
        )
    return render(request, "surveys/results.html", context)


@login_required
@require_GET
def survey_results_csv(request: HttpRequest, survey_id: int) -> StreamingHttpResponse:
    survey = selectors.access_survey_for_results(request.user, survey_id)
    partner_ids = selectors.result_partner_ids(request.user)
    _versions, version = _chosen_version(request, survey)
    if version is None:
        raise Http404
    rows = selectors.results_csv_rows(version=version, partner_ids=partner_ids)
    filename = f"survey-{survey.pk}-v{version.number}.csv"
    audit_export(filename=filename, organization_id=partner_ids[0] if partner_ids else None)
    return csv_streaming_response(rows, filename=filename)
