"""Screens of field voice (the rep's entry and list, the staff's inbox, answer, conversions and report) and of
content feedback (the rep's form on a lesson, the author's inbox per lesson)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.audit.services import audit_export
from kizuna.catalog.selectors import access_lesson_for_user, access_module_for_user, draft_courses
from kizuna.ops import charts
from kizuna.ops.errors import add_to_form, message_user
from kizuna.ops.spreadsheets import csv_response
from kizuna.orgs.access import Role, can_author, can_nominate_success, membership_of, role_required
from kizuna.scenarios.selectors import access_scenario_for_user, can_edit_scenarios, scenario_choices_for
from kizuna.updates.selectors import can_post

from . import selectors, services
from .forms import (
    AnswerForm,
    FieldVoiceForm,
    HandleForm,
    InboxFilterForm,
    LessonFeedbackForm,
    ReportFilterForm,
    ToLessonForm,
    ToScenarioForm,
)
from .models import FieldVoice
from .services import FeedbackError

rep_only = role_required(Role.REP)
inbox_roles = role_required(*selectors.INBOX_ROLES)
answerers = role_required(*selectors.ANSWER_ROLES)
handlers = role_required(*selectors.HANDLER_ROLES)
PER_PAGE = 20


# --- Field voice: the rep -------------------------------------------------------------------


@login_required
@require_GET
def field_voice(request: HttpRequest) -> HttpResponse:
    """The rep's own entries with their answers; the staff and managers go to the inbox."""
    m = membership_of(request.user)
    if m is None:
        raise Http404
    if not m.is_rep:
        if selectors.can_see_inbox(request.user):
            return redirect("feedback:field_voice_inbox")
        raise Http404
    page = Paginator(selectors.my_voices(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "feedback/voice_mine.html", {"page": page})


@rep_only
@require_http_methods(["GET", "POST"])
def field_voice_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = FieldVoiceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.field_voice_record(
                    rep=request.user,
                    kind=data["kind"],
                    text=data["text"],
                    submission_id=data["submission_id"],
                    product=data["product"],
                    tags=list(data["tags"]),
                    deal_stage=data["deal_stage"],
                    industry=data["industry"],
                )
            except FeedbackError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("Thank you! Your field voice was sent to the coaches."))
                return redirect("feedback:field_voice")
    else:
        form = FieldVoiceForm(initial=selectors.voice_last_choices(request.user))
    return render(request, "feedback/voice_form.html", {"form": form})


# --- Field voice: the staff -----------------------------------------------------------------


@inbox_roles
@require_GET
def field_voice_inbox(request: HttpRequest) -> HttpResponse:
    """New entries first by default; filters by status, kind, product and (for the principal) partner."""
    data = request.GET.copy()
    data.setdefault("status", FieldVoice.Status.NEW)
    form = InboxFilterForm(data, partners=selectors.inbox_partners(request.user))
    filters: dict[str, Any] = {"status": FieldVoice.Status.NEW}
    if form.is_valid():
        cleaned = form.cleaned_data
        filters = {
            "status": cleaned.get("status") or "",
            "kind": cleaned.get("kind") or "",
            "product_id": cleaned["product"].pk if cleaned.get("product") else None,
            "partner_id": cleaned["partner"].pk if cleaned.get("partner") else None,
        }
    page = Paginator(selectors.voice_inbox(request.user, **filters), PER_PAGE).get_page(request.GET.get("page"))
    data.pop("page", None)
    return render(
        request,
        "feedback/voice_inbox.html",
        {"form": form, "page": page, "query": data.urlencode(), "can_answer": selectors.can_answer(request.user)},
    )


def _module_choices() -> list[tuple[int, str]]:
    return [
        (module.pk, f"{course.title} › {module.title}")
        for course in draft_courses().prefetch_related("modules")
        for module in course.modules.all()
    ]


def _detail_context(request: HttpRequest, voice: FieldVoice, **forms: Any) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "voice": voice,
        "is_owner": voice.rep_id == user.pk,
        "can_nominate": can_nominate_success(user),
    }
    if selectors.can_answer(user):
        context["answer_form"] = forms.get("answer_form") or AnswerForm(initial={"answer": voice.answer})
        if not voice.content_kind:
            context["can_make_update"] = can_post(user)
            if can_author(user):
                context["lesson_form"] = forms.get("lesson_form") or ToLessonForm(modules=_module_choices())
            if can_edit_scenarios(user):
                context["scenario_form"] = forms.get("scenario_form") or ToScenarioForm(
                    scenarios=scenario_choices_for(user)
                )
    return context


@login_required
@require_GET
def field_voice_detail(request: HttpRequest, voice_id: int) -> HttpResponse:
    voice = selectors.access_voice_for_user(request.user, voice_id)
    return render(request, "feedback/voice_detail.html", _detail_context(request, voice))


@answerers
@require_POST
def field_voice_answer(request: HttpRequest, voice_id: int) -> HttpResponse:
    voice = selectors.access_voice_for_answerer(request.user, voice_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.field_voice_answer(voice=voice, by=request.user, answer=form.cleaned_data["answer"])
        except FeedbackError as error:
            add_to_form(form, error, field="answer")
        else:
            messages.success(request, _("Answer sent. The rep is notified."))
            return redirect("feedback:field_voice_detail", voice_id=voice.pk)
    return render(request, "feedback/voice_detail.html", _detail_context(request, voice, answer_form=form), status=400)


def _made(request: HttpRequest, voice: FieldVoice) -> HttpResponse:
    messages.success(
        request, _("Draft made. The rep is notified. Finish it here: %(title)s") % {"title": voice.content_title}
    )
    return redirect(voice.content_url)


def _refused(request: HttpRequest, voice: FieldVoice, error: FeedbackError) -> HttpResponse:
    message_user(request, error)
    return redirect("feedback:field_voice_detail", voice_id=voice.pk)


@answerers
@require_POST
def field_voice_to_update(request: HttpRequest, voice_id: int) -> HttpResponse:
    voice = selectors.access_voice_for_answerer(request.user, voice_id)
    if not can_post(request.user):
        raise Http404
    try:
        voice = services.field_voice_to_update(voice=voice, by=request.user)
    except FeedbackError as error:
        return _refused(request, voice, error)
    return _made(request, voice)


@answerers
@require_POST
def field_voice_to_lesson(request: HttpRequest, voice_id: int) -> HttpResponse:
    voice = selectors.access_voice_for_answerer(request.user, voice_id)
    if not can_author(request.user):
        raise Http404
    form = ToLessonForm(request.POST, modules=_module_choices())
    if not form.is_valid():
        context = _detail_context(request, voice, lesson_form=form)
        return render(request, "feedback/voice_detail.html", context, status=400)
    module = access_module_for_user(request.user, form.cleaned_data["module"])
    try:
        voice = services.field_voice_to_lesson(
            voice=voice, by=request.user, module=module, kind=form.cleaned_data["lesson_kind"]
        )
    except FeedbackError as error:
        return _refused(request, voice, error)
    return _made(request, voice)


@answerers
@require_POST
def field_voice_to_scenario(request: HttpRequest, voice_id: int) -> HttpResponse:
    voice = selectors.access_voice_for_answerer(request.user, voice_id)
    if not can_edit_scenarios(request.user):
        raise Http404
    form = ToScenarioForm(request.POST, scenarios=scenario_choices_for(request.user))
    if not form.is_valid():
        context = _detail_context(request, voice, scenario_form=form)
        return render(request, "feedback/voice_detail.html", context, status=400)
    scenario = access_scenario_for_user(request.user, form.cleaned_data["scenario"])
    try:
        voice = services.field_voice_to_scenario(voice=voice, by=request.user, scenario=scenario)
    except FeedbackError as error:
        return _refused(request, voice, error)
    return _made(request, voice)


def _report_filter(request: HttpRequest) -> tuple[ReportFilterForm, selectors.ReportFilter]:
    form = ReportFilterForm(request.GET or None, partners=selectors.inbox_partners(request.user))
    since, until = form.period(selectors.default_period(timezone.localdate()))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    flt = selectors.ReportFilter(
        since=since,
        until=until,
        product_id=data["product"].pk if data.get("product") else None,
        kind=data.get("kind") or "",
        partner_id=data["partner"].pk if data.get("partner") else None,
    )
    return form, flt


@inbox_roles
@require_GET
def field_voice_report(request: HttpRequest) -> HttpResponse:
    form, flt = _report_filter(request)
    report = selectors.voice_report(request.user, flt)
    months = selectors.report_months(flt)
    return render(
        request,
        "feedback/voice_report.html",
        {
            "form": form,
            "flt": flt,
            "report": report,
            "months": months,
            "top": [(row, _voice_sparkline(row)) for row in report.top],
            "months_chart": _months_chart(report) if report.total else "",
            "query": request.GET.urlencode(),
        },
    )


def _voice_sparkline(row: selectors.ReportRow) -> str:
    """How often one question or objection came up, month by month."""
    return charts.sparkline(
        title=_("Month by month: %(text)s") % {"text": row.text[:40]}, values=row.by_month, color=charts.BLUE
    )


def _months_chart(report: selectors.VoiceReport) -> str:
    """The entries of each month of the period, stacked by kind (the table below has the figures)."""
    rows = report.months
    return charts.column_chart(
        title=_("Entries per month"),
        labels=[date_format(row.month, "n/y") for row in rows],
        series=[
            charts.Series(pgettext("field voice", "Questions"), [r.questions for r in rows], charts.BLUE),
            charts.Series(_("Objections"), [r.objections for r in rows], charts.ORANGE),
            charts.Series(_("Competitors"), [r.competitors for r in rows], charts.BROWN),
        ],
    )


@inbox_roles
@require_GET
def field_voice_report_csv(request: HttpRequest) -> HttpResponse:
    """The report's most frequent entries as CSV (UTF-8 with a BOM, so spreadsheet programs read Japanese)."""
    _form, flt = _report_filter(request)
    report = selectors.voice_report(request.user, flt, limit=1000)
    months = selectors.report_months(flt)
    header = [
        "kind",
        "product",
        "text",
        "count",
        "answered",
        "answered_share",
        "last_at",
        *[m.strftime("%Y-%m") for m in months],
    ]
    rows = [
        [
            row.kind,
            row.product,
            row.text,
            row.count,
            row.answered,
            f"{row.answered / row.count:.2f}" if row.count else "0",
            timezone.localtime(row.last_at).isoformat(),
            *row.by_month,
        ]
        for row in report.top
    ]
    filename = f"field-voice-{flt.since}-{flt.until}.csv"
    membership = membership_of(request.user)
    scope = None if membership is None or membership.is_principal_staff else membership.organization_id
    audit_export(filename=filename, organization_id=scope, rows=len(rows))
    return csv_response(header, rows, filename=filename)


# --- Content feedback -----------------------------------------------------------------------


@rep_only
@require_http_methods(["GET", "POST"])
def lesson_feedback(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """The rep's feedback on a lesson: the lesson page's widget posts here; errors are shown on this page."""
    lesson = access_lesson_for_user(request.user, lesson_id)
    existing = selectors.lesson_feedback_for(rep=request.user, lesson_id=lesson.pk)
    if request.method == "POST":
        form = LessonFeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.lesson_feedback_submit(
                    rep=request.user,
                    lesson=lesson,
                    worked=form.cleaned_data["worked"],
                    comment=form.cleaned_data["comment"],
                    submission_id=form.cleaned_data["submission_id"],
                )
            except FeedbackError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("Thank you! The authors read every feedback."))
                return redirect(reverse("learning:lesson", args=[lesson.pk]) + "#feedback")
    else:
        initial = {"worked": "yes" if existing.worked else "no", "comment": existing.comment} if existing else {}
        form = LessonFeedbackForm(initial=initial)
    return render(request, "feedback/lesson_feedback.html", {"lesson": lesson, "form": form, "feedback": existing})


@inbox_roles
@require_GET
def feedback_inbox(request: HttpRequest) -> HttpResponse:
    status = "all" if request.GET.get("status") == "all" else "open"
    return render(
        request,
        "feedback/feedback_inbox.html",
        {"lessons": selectors.feedback_inbox(request.user, status=status), "status": status},
    )


@inbox_roles
@require_GET
def feedback_lesson(request: HttpRequest, feedback_lesson_id: int) -> HttpResponse:
    """Every version's feedback on one lesson (the id of any published version of it that has feedback)."""
    lesson, items = selectors.access_feedback_lesson_for_user(request.user, feedback_lesson_id)
    return render(
        request,
        "feedback/feedback_lesson.html",
        {
            "lesson": lesson,
            "items": items,
            "can_handle": selectors.can_handle_feedback(request.user),
            "handle_form": HandleForm(),
        },
    )


@handlers
@require_POST
def feedback_handle(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = selectors.access_feedback_for_handler(request.user, feedback_id)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            services.lesson_feedback_handle(feedback=feedback, by=request.user, note=form.cleaned_data["note"])
        except FeedbackError as error:
            message_user(request, error)
        else:
            messages.success(request, _("Marked as handled. The rep sees your note."))
    else:
        messages.error(request, _("Write what changed (or why nothing changed)."))
    return redirect(reverse("feedback:feedback_lesson", args=[feedback.lesson_id]) + f"#feedback-{feedback.pk}")
