"""Screens of flash updates: the list, writing one, reading and acknowledging it, its report, its photo and video."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.media.serving import stored_file_response
from kizuna.ops.errors import message_user
from kizuna.orgs.access import Role, membership_of, role_required
from kizuna.records.services import StatementError, late_event_at

from . import selectors, services
from .forms import AnswerForm, ReportFilterForm, UpdateForm
from .models import FlashUpdate, joined_after
from .services import UpdateError

posting = role_required(*selectors.POSTER_ROLES)
PER_PAGE = 20


@login_required
@require_GET
def updates(request: HttpRequest) -> HttpResponse:
    """Everyone's list: a rep's updates with what they still have to do; every update for the principal's staff."""
    m = membership_of(request.user)
    if m is None:
        raise Http404
    status = request.GET.get("status", "") if selectors.can_post(request.user) else ""
    page = Paginator(selectors.updates_list_for(request.user, status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = (
        selectors.with_receipts(list(page.object_list), rep=request.user)
        if m.is_rep
        else [selectors.ListedUpdate(update=u, receipt=None) for u in page.object_list]
    )
    return render(
        request,
        "updates/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "is_rep": m.is_rep,
            "can_post": selectors.can_post(request.user),
            "can_report": selectors.can_see_report(request.user),
        },
    )


def _form_data(form: UpdateForm) -> dict[str, Any]:
    data = form.cleaned_data
    values: dict[str, Any] = {
        "title": data["title"],
        "body": data["body"],
        "product": data["product"],
        "tags": list(data["tags"]),
        "ack_due_at": form.ack_due_at(),
        "photo": data.get("photo") or None,
    }
    if "audience" in form.fields:
        values.update(audience=data["audience"], partners=list(data["partners"]), teams=list(data["teams"]))
    return values


def _add_error(form: UpdateForm, error: UpdateError) -> None:
    field = error.field if error.field in form.fields else None
    if error.field == "ack_due_on" and "ack_due_on" in form.fields:
        field = "ack_due_on"
    if error.field and error.field.startswith("question_") and "question_text" in form.fields:
        field = {"question_options": "option_2"}.get(error.field, error.field)
    form.add_error(field, error.message)


def _can_experiment(user: Any) -> bool:
    """Whether the person may roll an update out as an experiment (the KPI app's experiments are the admin's)."""
    m = membership_of(user)
    return m is not None and m.role == Role.ADMIN


def _to_experiment(update: FlashUpdate, form: UpdateForm) -> HttpResponse:
    """To the experiment form with this draft chosen (and the partners it was for): the draw happens there."""
    query = urlencode(
        [("kind", "update"), ("content", update.pk)]
        + [("partners", p.pk) for p in form.cleaned_data.get("partners") or []]
    )
    return redirect(f"{reverse('kpis:experiment_new')}?{query}")


def _publish_and_say(request: HttpRequest, update: FlashUpdate) -> bool:
    try:
        services.update_publish(update=update, publisher=request.user)
    except UpdateError as error:
        message_user(request, error)
        return False
    messages.success(request, _("Published. The reps see it at the top of their home and get an e-mail."))
    return True


@posting
@require_http_methods(["GET", "POST"])
def update_new(request: HttpRequest) -> HttpResponse:
    form = UpdateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = _form_data(form)
        try:
            update = services.update_create(
                author=request.user,
                video_file=form.cleaned_data.get("video") or None,
                question=form.cleaned_data.get("question"),
                **values,
            )
        except UpdateError as error:
            _add_error(form, error)
        else:
            if request.POST.get("action") == "experiment" and _can_experiment(request.user):
                return _to_experiment(update, form)
            if request.POST.get("action") == "publish":
                if _publish_and_say(request, update):
                    return redirect(update)
                return redirect("updates:update_edit", update_id=update.pk)
            messages.success(request, _("Saved as a draft. Only the principal's staff can see it."))
            return redirect("updates:update_edit", update_id=update.pk)
    return render(
        request, "updates/form.html", {"form": form, "update": None, "can_experiment": _can_experiment(request.user)}
    )


@posting
@require_http_methods(["GET", "POST"])
def update_edit(request: HttpRequest, update_id: int) -> HttpResponse:
    update = selectors.access_update_for_editor(request.user, update_id)
    question = selectors.check_question_of(update)
    if request.method == "POST":
        form = UpdateForm(request.POST, request.FILES, user=request.user, update=update)
        if form.is_valid():
            values = _form_data(form)
            extra: dict[str, Any] = {}
            if form.has_question_fields:
                extra["question"] = form.cleaned_data.get("question")
            try:
                services.update_edit(
                    update=update,
                    editor=request.user,
                    remove_photo=form.cleaned_data.get("remove_photo", False),
                    video_file=form.cleaned_data.get("video") or None,
                    remove_video=form.cleaned_data.get("remove_video", False),
                    **values,
                    **extra,
                )
            except UpdateError as error:
                _add_error(form, error)
            else:
                experiment = request.POST.get("action") == "experiment" and _can_experiment(request.user)
                if not update.is_published and experiment:
                    return _to_experiment(update, form)
                if not update.is_published and request.POST.get("action") == "publish":
                    if _publish_and_say(request, update):
                        return redirect(update)
                    return redirect("updates:update_edit", update_id=update.pk)
                messages.success(request, _("Saved."))
                if update.is_published:
                    return redirect(update)
                return redirect("updates:update_edit", update_id=update.pk)
    else:
        form = UpdateForm(initial=UpdateForm.initial_for(update, question), user=request.user, update=update)
    problems = [] if update.is_published else services.update_publish_problems(update)
    return render(
        request,
        "updates/form.html",
        {"form": form, "update": update, "problems": problems, "can_experiment": _can_experiment(request.user)},
    )


@posting
@require_POST
def update_delete(request: HttpRequest, update_id: int) -> HttpResponse:
    update = selectors.access_update_for_editor(request.user, update_id)
    try:
        services.update_delete(update=update)
    except UpdateError as error:
        message_user(request, error)
        return redirect(update)
    messages.success(request, _("The draft was deleted."))
    return redirect("updates:updates")


@login_required
@require_GET
def update(request: HttpRequest, update_id: int) -> HttpResponse:
    """The update itself; a rep's first visit counts as read."""
    update_obj = selectors.access_update_for_user(request.user, update_id)
    m = membership_of(request.user)
    is_rep = m is not None and m.is_rep
    # Saved on the phone for offline (pwa/offline.js): not read yet; the phone reports the read when it opens.
    saving = request.headers.get("X-Kizuna-Offline-Save") == "1"
    receipt = services.update_open(rep=request.user, update=update_obj) if is_rep and not saving else None
    if is_rep and saving:
        receipt = selectors.receipt_for(update=update_obj, rep=request.user)
    question = selectors.check_question_of(update_obj)
    return render(
        request,
        "updates/detail.html",
        {
            "update": update_obj,
            "question": question,
            "receipt": receipt,
            "is_rep": is_rep,
            "answer_form": AnswerForm(question=question)
            if question and is_rep and not (receipt and receipt.answered_at)
            else None,
            "can_edit": selectors.can_edit(request.user, update_obj),
            "can_report": update_obj.is_published and selectors.can_see_report_of(request.user, update_obj),
            "audience": selectors.audience_label_for(request.user, update_obj),
            "overdue": update_obj.is_overdue_for(request.user) if is_rep else update_obj.is_overdue(),
            "date_before_joining": is_rep and joined_after(request.user.date_joined, update_obj.ack_due_at),
        },
    )


def _rep_update(request: HttpRequest, update_id: int) -> FlashUpdate:
    update_obj = selectors.access_update_for_user(request.user, update_id)
    m = membership_of(request.user)
    if m is None or not m.is_rep:
        raise Http404
    return update_obj


def _offline_at(request: HttpRequest, update_obj: FlashUpdate) -> Any:
    """When the rep did it, for what a phone kept offline and sends later (the form's ``at``), else None. The
    read is recorded at that moment too, if the update was saved on the phone unread."""
    try:
        at = late_event_at(request.POST.get("at", ""), unreadable=_("The time of this could not be read."))
    except StatementError as exc:
        raise UpdateError(str(exc)) from None
    if at is None:
        return None
    services.update_open(rep=request.user, update=update_obj, timestamp=at)
    return at


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def update_read(request: HttpRequest, update_id: int) -> HttpResponse:
    """A saved update opened on the phone without a connection, sent later: read at ``at`` (once)."""
    update_obj = _rep_update(request, update_id)
    try:
        at = _offline_at(request, update_obj)
        if at is None:
            services.update_open(rep=request.user, update=update_obj)
    except UpdateError as error:
        return JsonResponse({"error": error.message}, status=400)
    return JsonResponse({"read": True})


@login_required
@require_POST
def update_answer(request: HttpRequest, update_id: int) -> HttpResponse:
    update_obj = _rep_update(request, update_id)
    question = selectors.check_question_of(update_obj)
    if question is None:
        raise Http404
    form = AnswerForm(request.POST, question=question)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"error": _("Choose one of the answers.")}, status=400)
        messages.error(request, _("Choose one of the answers."))
        return redirect(update_obj)
    try:
        at = _offline_at(request, update_obj)
        receipt = services.update_answer(
            rep=request.user, update=update_obj, option=form.cleaned_data["option"], timestamp=at
        )
    except UpdateError as error:
        if _wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        message_user(request, error)
    else:
        if _wants_json(request):
            # Answered offline and sent late: the phone shows the verdict it gets here.
            return JsonResponse({"scored": True, "question": update_obj.title, "correct": bool(receipt.answer_correct)})
        if receipt.answer_correct:
            messages.success(request, _("Correct!"))
        else:
            messages.warning(request, _("Not quite. Read the explanation below."))
    return redirect(update_obj.get_absolute_url() + "#question")


@login_required
@require_POST
def update_ack(request: HttpRequest, update_id: int) -> HttpResponse:
    update_obj = _rep_update(request, update_id)
    try:
        at = _offline_at(request, update_obj)
        services.update_acknowledge(rep=request.user, update=update_obj, timestamp=at)
    except UpdateError as error:
        if _wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        message_user(request, error)
        return redirect(update_obj.get_absolute_url() + "#question")
    if _wants_json(request):
        return JsonResponse({"acknowledged": True})
    messages.success(request, _("Thank you. Marked as confirmed."))
    return redirect("learning:home")


def _report_filter(request: HttpRequest, data: Any) -> tuple[ReportFilterForm, int | None, int | None]:
    """Return the report's filter form and the partner and team chosen (ids the viewer may not see are ignored)."""
    partners = selectors.report_partners(viewer=request.user)
    chosen = str(data.get("partner") or "")
    partner_id = next((p.pk for p in partners if str(p.pk) == chosen), None)
    if partner_id is None and len(partners) == 1:
        partner_id = partners[0].pk
    teams = selectors.report_teams(viewer=request.user, partner_id=partner_id)
    form = ReportFilterForm(data or None, partners=partners, teams=teams)
    team_id = None
    if form.is_bound and form.is_valid():
        team_id = form.cleaned_data["team"]
    return form, partner_id, team_id


@login_required
@require_GET
def update_report(request: HttpRequest, update_id: int) -> HttpResponse:
    update_obj = selectors.access_update_for_reporter(request.user, update_id)
    filter_form, partner_id, team_id = _report_filter(request, request.GET)
    report = selectors.update_report(update_obj, viewer=request.user, partner_id=partner_id, team_id=team_id)
    return render(
        request,
        "updates/report.html",
        {
            "update": update_obj,
            "report": report,
            "filter_form": filter_form,
            "question": selectors.check_question_of(update_obj),
            "many_partners": len(report.partners) > 1,
        },
    )


@login_required
@require_POST
def update_remind(request: HttpRequest, update_id: int) -> HttpResponse:
    update_obj = selectors.access_update_for_reporter(request.user, update_id)
    _form, partner_id, team_id = _report_filter(request, request.POST)
    try:
        count = services.update_remind(update=update_obj, by=request.user, partner_id=partner_id, team_id=team_id)
    except UpdateError as error:
        message_user(request, error)
    else:
        if count:
            messages.success(
                request,
                _("A reminder is on its way to %(count)s rep(s) who have not confirmed yet.") % {"count": count},
            )
        else:
            messages.info(request, _("Nobody to remind: everyone has confirmed or was already reminded today."))
    return redirect("updates:update_report", update_id=update_obj.pk)


@require_http_methods(["GET", "HEAD"])
def update_photo(request: HttpRequest, update_id: int) -> HttpResponse:
    update_obj = selectors.access_update_for_user(request.user, update_id)
    if not update_obj.photo:
        raise Http404
    return stored_file_response(request, name=update_obj.photo, content_type="image/jpeg")


def _ready_video(request: HttpRequest, update_id: int) -> Any:
    update_obj = selectors.access_update_for_user(request.user, update_id)
    video = update_obj.video
    if video is None or not video.is_ready:
        raise Http404
    return video


@require_http_methods(["GET", "HEAD"])
def update_video(request: HttpRequest, update_id: int) -> HttpResponse:
    return stored_file_response(request, name=_ready_video(request, update_id).mp4.name, content_type="video/mp4")


@require_http_methods(["GET", "HEAD"])
def update_video_phone(request: HttpRequest, update_id: int) -> HttpResponse:
    """The phone-sized MP4 (the smallest HLS rendition, else the MP4): what a rep's update page plays, and what
    the phone keeps when the update is saved with the next-up (pwa)."""
    video = _ready_video(request, update_id)
    return stored_file_response(request, name=video.phone_mp4.name or video.mp4.name, content_type="video/mp4")


@require_http_methods(["GET", "HEAD"])
def update_poster(request: HttpRequest, update_id: int) -> HttpResponse:
    return stored_file_response(request, name=_ready_video(request, update_id).poster.name, content_type="image/jpeg")


@login_required
@require_GET
def update_video_status(request: HttpRequest, update_id: int) -> HttpResponse:
    """The video part of the update page, polled by htmx while the video is being converted."""
    update_obj = selectors.access_update_for_user(request.user, update_id)
    m = membership_of(request.user)
    return render(request, "updates/_video.html", {"update": update_obj, "is_rep": m is not None and m.is_rep})


@login_required
@require_GET
def update_activity(request: HttpRequest, update_key: str) -> HttpResponse:
    """The xAPI activity IRI of an update resolves to its page (for those who may see it)."""
    found = get_object_or_404(FlashUpdate, key=update_key)
    return redirect(selectors.access_update_for_user(request.user, found.pk))
