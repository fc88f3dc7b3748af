"""Screens of roleplay practice: assignments, recording and uploading a take, the review page, calibration."""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.feedback.selectors import new_voices
from kizuna.media.serving import stored_file_response
from kizuna.ops import charts
from kizuna.ops.errors import add_to_form, message_user
from kizuna.orgs.access import Role, membership_of, role_required, visible_reps
from kizuna.orgs.sharing import Area, names_for

from . import selectors, services
from .errors import CoachingError
from .forms import CommentForm, CriterionFormSet, ReviewForm, RoleplayForm, TargetForm, criterion_initial
from .models import Comment, Review, RoleplayTarget
from .scoring import CALIBRATION_TOLERANCE

EDITORS = (Role.ADMIN, Role.AUTHOR, Role.COACH)
EVERYONE = (Role.ADMIN, Role.AUTHOR, Role.COACH, Role.MANAGER, Role.REP)
REVIEWERS = (Role.ADMIN, Role.COACH, Role.MANAGER, Role.REP)


@require_GET
@role_required(*EVERYONE)
def roleplay_home(request: HttpRequest) -> HttpResponse:
    m = membership_of(request.user)
    assert m is not None
    context: dict[str, Any] = {"namer": names_for(request.user, Area.REVIEWS), "now": timezone.now()}
    if m.role == Role.REP:
        context["cards"] = selectors.rep_roleplay_cards(request.user)
    if m.role in EDITORS:
        context["roleplays"] = selectors.roleplays_for_staff(request.user)
    if m.role in REVIEWERS:
        context["queue"] = list(selectors.review_queue(request.user))
    if m.role in (Role.ADMIN, Role.COACH, Role.MANAGER):
        context["waiting"] = selectors.takes_awaiting_review(request.user)
    return render(request, "coaching/home.html", context)


# How many of each a coach's start page lists; the full lists are one tap away.
COACH_HOME_REVIEWS = 10
COACH_HOME_VOICES = 5


@require_GET
@role_required(Role.COACH)
def coach_home(request: HttpRequest) -> HttpResponse:
    """A coach's day starts here: the reviews due to them, takes still without a result, the new field voice."""
    queue = selectors.review_queue(request.user)
    voices = new_voices(request.user)
    return render(
        request,
        "coaching/coach_home.html",
        {
            "namer": names_for(request.user, Area.REVIEWS),
            "now": timezone.now(),
            "queue": list(queue[:COACH_HOME_REVIEWS]),
            "queue_count": queue.count(),
            "waiting": selectors.takes_awaiting_review(request.user, limit=COACH_HOME_REVIEWS),
            "voices": list(voices[:COACH_HOME_VOICES]),
            "voice_count": voices.count(),
        },
    )


def _criteria_from(formset: Any) -> list[services.CriterionInput]:
    return [c for form in formset.forms if (c := form.criterion()) is not None]


@require_http_methods(["GET", "POST"])
@role_required(*EDITORS)
def roleplay_new(request: HttpRequest) -> HttpResponse:
    return _roleplay_edit(request, None)


@require_http_methods(["GET", "POST"])
@role_required(*EDITORS)
def roleplay_edit(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    return _roleplay_edit(request, selectors.access_roleplay_for_editor(request.user, roleplay_id))


def _roleplay_edit(request: HttpRequest, roleplay: Any) -> HttpResponse:
    if request.method == "POST":
        form = RoleplayForm(request.POST, instance=roleplay)
        formset = CriterionFormSet(request.POST, prefix="criteria")
        if form.is_valid() and formset.is_valid():
            data = {k: form.cleaned_data[k] for k in RoleplayForm.Meta.fields}
            try:
                if roleplay is None:
                    roleplay = services.roleplay_create(author=request.user, criteria=_criteria_from(formset), **data)
                else:
                    roleplay = services.roleplay_update(roleplay=roleplay, criteria=_criteria_from(formset), **data)
            except CoachingError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("coaching:roleplay_detail", roleplay.pk)
    else:
        form = RoleplayForm(instance=roleplay)
        criteria = list(roleplay.criteria.all()) if roleplay is not None else []
        formset = CriterionFormSet(prefix="criteria", initial=criterion_initial(criteria, blank=1 if criteria else 3))
    return render(request, "coaching/edit.html", {"form": form, "formset": formset, "roleplay": roleplay})


@require_POST
@role_required(*EDITORS)
def roleplay_publish(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    roleplay = selectors.access_roleplay_for_editor(request.user, roleplay_id)
    try:
        services.roleplay_publish(roleplay=roleplay)
    except CoachingError as error:
        message_user(request, error)
    else:
        messages.success(request, _("Published. Assign it to partners or teams so that reps can take it."))
    return redirect("coaching:roleplay_detail", roleplay.pk)


@require_http_methods(["GET", "POST"])
@role_required(*EDITORS)
def roleplay_assign(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    roleplay = selectors.access_roleplay_for_editor(request.user, roleplay_id)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.roleplay_target_add(
                roleplay=roleplay,
                assigned_by=request.user,
                partner=form.cleaned_data["partner"],
                team=form.cleaned_data["team"],
            )
        except CoachingError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Assigned."))
            return redirect("coaching:roleplay_assign", roleplay.pk)
    return render(
        request,
        "coaching/assign.html",
        {"roleplay": roleplay, "form": form, "targets": selectors.roleplay_targets(roleplay)},
    )


@require_POST
@role_required(*EDITORS)
def roleplay_assign_rep(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    roleplay = selectors.access_roleplay_for_editor(request.user, roleplay_id)
    email = (request.POST.get("email") or "").strip()
    rep = visible_reps(request.user).filter(email__iexact=email).select_related("membership__organization").first()
    if rep is None:
        messages.error(request, _("No rep has this e-mail address. Check it and try again."))
    else:
        services.roleplay_target_add(roleplay=roleplay, assigned_by=request.user, rep=rep)
        messages.success(request, _("Assigned."))
    return redirect("coaching:roleplay_assign", roleplay.pk)


@require_POST
@role_required(*EDITORS)
def roleplay_target_delete(request: HttpRequest, roleplay_id: int, target_id: int) -> HttpResponse:
    roleplay = selectors.access_roleplay_for_editor(request.user, roleplay_id)
    target = RoleplayTarget.objects.filter(roleplay=roleplay, pk=target_id).first()
    if target is None:
        raise Http404
    services.roleplay_target_remove(target=target)
    messages.success(request, _("The assignment was removed."))
    return redirect("coaching:roleplay_assign", roleplay.pk)


@require_GET
@role_required(*EVERYONE)
def roleplay_detail(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    roleplay = selectors.access_roleplay_for_user(request.user, roleplay_id)
    m = membership_of(request.user)
    context: dict[str, Any] = {
        "roleplay": roleplay,
        "criteria": list(roleplay.criteria.all()),
        "can_edit": m is not None and m.role in EDITORS,
        "is_rep": m is not None and m.role == Role.REP,
        "namer": names_for(request.user, Area.REVIEWS),
    }
    if context["is_rep"]:
        context["takes"] = selectors.rep_takes(rep=request.user, roleplay=roleplay)
    elif m is not None and m.role != Role.AUTHOR:
        context["takes"] = list(selectors.submissions_for_roleplay(request.user, roleplay)[:100])
    return render(request, "coaching/detail.html", context)


@require_GET
@role_required(Role.REP)
def roleplay_record(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    roleplay = selectors.access_roleplay_for_user(request.user, roleplay_id)
    return render(
        request,
        "coaching/record.html",
        {
            "roleplay": roleplay,
            "criteria": list(roleplay.criteria.all()),
            "max_bytes": settings.VIDEO_MAX_UPLOAD_MB * 1024 * 1024,
            "max_mb": settings.VIDEO_MAX_UPLOAD_MB,
            "chunk_bytes": services.UPLOAD_CHUNK_BYTES,
            "statement_id": uuid.uuid4(),
        },
    )


def _json_error(message: str, status: int = 400, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _upload_state(upload: Any) -> dict[str, Any]:
    return {
        "offset": upload.received,
        "size": upload.size,
        "url": reverse("coaching:roleplay_upload", args=[upload.key]),
        "finish_url": reverse("coaching:roleplay_upload_finish", args=[upload.key]),
        "chunk": services.UPLOAD_CHUNK_BYTES,
    }


@require_POST
@role_required(Role.REP)
def upload_create(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    roleplay = selectors.access_roleplay_for_user(request.user, roleplay_id)
    try:
        size = int(request.POST.get("size", ""))
        statement_id = uuid.UUID(request.POST.get("statement_id", ""))
    except ValueError:
        return _json_error(_("The upload could not start. Reload the page and try again."))
    try:
        upload = services.upload_start(rep=request.user, roleplay=roleplay, size=size, statement_id=statement_id)
    except CoachingError as error:
        return _json_error(error.message)
    return JsonResponse(_upload_state(upload), status=201)


@require_http_methods(["GET", "HEAD", "PUT"])
@role_required(Role.REP)
def upload_chunk(request: HttpRequest, upload_key: uuid.UUID) -> HttpResponse:
    """GET answers how much has arrived (to resume); PUT with Upload-Offset appends one chunk there."""
    upload = selectors.access_upload_for_owner(request.user, upload_key)
    if request.method != "PUT":
        return JsonResponse(_upload_state(upload))
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return _json_error(_("A part of the upload had an unexpected size. Try again."))
    if offset != upload.received:
        return JsonResponse({**_upload_state(upload), "error": "offset"}, status=409)
    try:
        services.upload_chunk_write(upload=upload, offset=offset, stream=request, length=length)
    except CoachingError as error:
        return _json_error(error.message, status=413 if offset + length > upload.size else 400)
    return JsonResponse(_upload_state(upload))


@require_POST
@role_required(Role.REP)
def upload_finish(request: HttpRequest, upload_key: uuid.UUID) -> HttpResponse:
    upload = selectors.access_upload_for_owner(request.user, upload_key)
    try:
        submission = services.upload_finish(
            upload=upload, note=request.POST.get("note", ""), consent=request.POST.get("consent") == "on"
        )
    except CoachingError as error:
        return _json_error(error.message)
    messages.success(request, _("Handed in. Your reviewers have been asked to watch it."))
    return JsonResponse({"url": reverse("coaching:roleplay_take", args=[submission.pk])})


def _may_comment(user: Any, submission: Any, reviews: list[Review]) -> bool:
    m = membership_of(user)
    if m is None:
        return False
    if m.role in (Role.ADMIN, Role.COACH):
        return True
    if m.role == Role.MANAGER and submission.partner_id == m.organization_id:
        return True
    return any(r.reviewer_id == user.pk for r in reviews)


@require_GET
@role_required(*REVIEWERS)
def roleplay_take(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.access_submission_for_user(request.user, submission_id)
    return _render_take(request, submission)


def _render_take(request: HttpRequest, submission: Any, review_form: ReviewForm | None = None) -> HttpResponse:
    m = membership_of(request.user)
    reviews = selectors.reviews_for(submission)
    mine = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    open_review = mine if mine is not None and mine.status == Review.Status.REQUESTED else None
    criteria = list(submission.roleplay.criteria.all())
    takes = selectors.takes_of(submission, request.user)
    video = submission.video
    context: dict[str, Any] = {
        "submission": submission,
        "roleplay": submission.roleplay,
        "criteria": criteria,
        "video": video,
        "video_url": selectors.video_url(submission, request.user) if video and video.is_ready else "",
        "poster_url": selectors.video_url(submission, request.user, poster=True) if video and video.is_ready else "",
        "comments": selectors.comments_for(submission),
        "reviews": [r for r in reviews if r.status == Review.Status.SUBMITTED and (open_review is None or r == mine)],
        "pending": [r for r in reviews if r.status == Review.Status.REQUESTED],
        "open_review": open_review,
        "review_form": (review_form or ReviewForm(criteria=criteria)) if open_review else None,
        "comment_form": CommentForm(),
        "may_comment": _may_comment(request.user, submission, reviews),
        "is_owner": submission.rep_id == request.user.pk,
        "is_coach": m is not None and m.role in (Role.ADMIN, Role.COACH),
        "can_calibrate": submission.is_reference
        and mine is None
        and m is not None
        and m.role in (Role.MANAGER, Role.REP)
        and submission.rep_id != request.user.pk,
        "namer": names_for(request.user, Area.REVIEWS),
        "other_takes": [
            (t, selectors.video_url(t, request.user) if t.video and t.video.is_ready else "")
            for t in takes
            if t.pk != submission.pk
        ][-2:],
        "takes": takes,
    }
    return render(request, "coaching/take.html", context)


@require_POST
@role_required(*REVIEWERS)
def take_comment(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.access_submission_for_user(request.user, submission_id)
    form = CommentForm(request.POST)
    parent = None
    if form.is_valid() and form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(submission=submission, pk=form.cleaned_data["parent"]).first()
        if parent is None:
            raise Http404
    may = _may_comment(request.user, submission, list(submission.reviews.all()))
    if not may and not (parent is not None and submission.rep_id == request.user.pk):
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Write a comment."))
    else:
        try:
            comment = services.comment_add(
                submission=submission,
                author=request.user,
                body=form.cleaned_data["body"],
                at_second=form.cleaned_data.get("at_second") or 0,
                parent=parent,
            )
        except CoachingError as error:
            message_user(request, error)
        else:
            return redirect(
                reverse("coaching:roleplay_take", args=[submission.pk]) + f"#c{comment.parent_id or comment.pk}"
            )
    return redirect("coaching:roleplay_take", submission.pk)


@require_POST
@role_required(*REVIEWERS)
def take_review(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.access_submission_for_user(request.user, submission_id)
    review = selectors.open_review_for(submission, request.user)
    if review is None:
        raise Http404
    criteria = list(submission.roleplay.criteria.all())
    form = ReviewForm(request.POST, criteria=criteria)
    if form.is_valid():
        try:
            services.review_submit(
                review=review, levels=form.levels(), reasons=form.reasons(), feedback=form.cleaned_data["feedback"]
            )
        except CoachingError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Your review was sent. Thank you."))
            return redirect("coaching:roleplay_take", submission.pk)
    return _render_take(request, submission, review_form=form)


@require_POST
@role_required(Role.REP)
def take_consent(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.access_submission_for_user(request.user, submission_id)
    if submission.rep_id != request.user.pk:
        raise Http404
    try:
        services.submission_consent_set(submission=submission, consent=request.POST.get("consent") == "on")
    except CoachingError as error:
        message_user(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("coaching:roleplay_take", submission.pk)


@require_POST
@role_required(Role.ADMIN, Role.COACH)
def take_reference(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.access_submission_for_user(request.user, submission_id)
    try:
        services.submission_reference_set(
            submission=submission, reference=request.POST.get("reference") == "on", by=request.user
        )
    except CoachingError as error:
        message_user(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("coaching:roleplay_take", submission.pk)


@require_POST
@role_required(Role.ADMIN, Role.COACH)
def take_publish(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.access_submission_for_user(request.user, submission_id)
    try:
        lesson_id = services.exemplary_publish(submission=submission, coach=request.user)
    except CoachingError as error:
        message_user(request, error)
        return redirect("coaching:roleplay_take", submission.pk)
    messages.success(request, _("Published as a lesson. Assign its course to partners so that reps can watch it."))
    return redirect("learning:lesson", lesson_id)


@require_POST
@role_required(Role.MANAGER, Role.REP)
def take_calibrate(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.access_submission_for_user(request.user, submission_id)
    if submission.rep_id == request.user.pk:
        raise Http404
    try:
        services.calibration_review_start(submission=submission, reviewer=request.user)
    except CoachingError as error:
        message_user(request, error)
    return redirect(reverse("coaching:roleplay_take", args=[submission.pk]) + "#review")


@require_POST
@role_required(Role.ADMIN, Role.COACH, Role.REP)
def take_delete(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.access_submission_for_user(request.user, submission_id)
    m = membership_of(request.user)
    if submission.rep_id != request.user.pk and (m is None or m.role not in (Role.ADMIN, Role.COACH)):
        raise Http404
    roleplay_id = submission.roleplay_id
    try:
        services.submission_delete(submission=submission, by=request.user)
    except CoachingError as error:
        message_user(request, error)
        return redirect("coaching:roleplay_take", submission.pk)
    messages.success(request, _("The take and its video were deleted."))
    return redirect("coaching:roleplay_detail", roleplay_id)


@require_http_methods(["GET", "HEAD"])
def roleplay_video(request: HttpRequest, video_token: str) -> HttpResponse:
    submission = selectors.access_video_by_token(request.user, video_token)
    response = stored_file_response(request, name=submission.video.mp4.name, content_type="video/mp4")
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD"])
def roleplay_poster(request: HttpRequest, video_token: str) -> HttpResponse:
    submission = selectors.access_video_by_token(request.user, video_token)
    response = stored_file_response(request, name=submission.video.poster.name, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(*REVIEWERS)
def roleplay_calibration(request: HttpRequest) -> HttpResponse:
    m = membership_of(request.user)
    assert m is not None
    context: dict[str, Any] = {"namer": names_for(request.user, Area.REVIEWS)}
    if m.role in (Role.ADMIN, Role.COACH):
        rows = selectors.calibration_overview()
        criterion_ids = {cid for row in rows for cid in row.figures.per_criterion}
        context["rows"] = rows
        context["criteria"] = sorted(selectors.criterion_titles(criterion_ids).items())
        context["references"] = selectors.reference_takes_all()
        context["chart"] = _agreement_chart(
            _("Agreement with the coaches per reviewer"),
            [(selectors.display_name(context["namer"], row.reviewer), row.figures.deviation) for row in rows],
        )
    else:
        mine = selectors.calibration_for(reviewer_ids={request.user.pk}).get(request.user.pk)
        context["mine"] = mine
        context["mine_criteria"] = (
            sorted(selectors.criterion_titles(mine.per_criterion).items()) if mine is not None else []
        )
        context["references"] = selectors.reference_takes_for(request.user)
        context["chart"] = _agreement_chart(
            _("Your agreement with the coaches per criterion"),
            [(title, mine.per_criterion.get(cid)) for cid, title in context["mine_criteria"]],
        )
    return render(request, "coaching/calibration.html", context)


def _agreement_chart(title: str, deviations: list[tuple[str, float | None]]) -> str:
    """Agreement with the coaches as bars from 0 to 100%, with the line from which a reviewer's scores count fully."""
    if not deviations:
        return ""
    full = round((1 - CALIBRATION_TOLERANCE) * 100)
    bars = []
    for label, deviation in deviations:
        agreement = None if deviation is None else round((1 - deviation) * 100)
        bars.append(charts.Bar(label, agreement, "–" if agreement is None else f"{agreement}%"))
    return charts.bar_chart(
        title=title,
        bars=bars,
        marks=[(full, _("Scores count fully from %(percent)s%% agreement") % {"percent": full})],
        color=charts.GREEN,
        fmt=lambda v: f"{v:g}%",
    )
