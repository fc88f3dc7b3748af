"""Screens of success stories: the list, nominating, the story page (the rep's consent, interview and recording;
the author's draft and publish)."""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.coaching.errors import CoachingError
from kizuna.coaching.selectors import access_upload_for_owner
from kizuna.coaching.services import UPLOAD_CHUNK_BYTES, upload_start
from kizuna.feedback.selectors import access_voice_for_user
from kizuna.ops.errors import add_to_form, message_user
from kizuna.orgs.access import Role, role_required

from . import selectors, services
from .forms import ConsentForm, InterviewForm, NominateForm
from .models import SuccessStory

anyone = role_required(Role.ADMIN, Role.AUTHOR, Role.COACH, Role.MANAGER, Role.REP)


@anyone
@require_GET
def stories(request: HttpRequest) -> HttpResponse:
    context = {
        "stories": selectors.stories_list(request.user)[:100],
        "waiting": list(selectors.stories_waiting_for_author(request.user)),
        "can_nominate": selectors.can_nominate(request.user),
    }
    return render(request, "stories/stories.html", context)


def _initial_from(request: HttpRequest) -> dict[str, Any]:
    """Pre-fill from where the nominator came: a rep on the KPI board or rising talent, or a field voice entry."""
    initial: dict[str, Any] = {"source": SuccessStory.Source.MANUAL}
    source = request.GET.get("source", "")
    if source in SuccessStory.Source.values:
        initial["source"] = source
    rep = request.GET.get("rep", "")
    if rep.isdigit():
        initial["rep"] = int(rep)
    voice = request.GET.get("voice", "")
    if voice.isdigit():
        try:
            entry = access_voice_for_user(request.user, int(voice))  # type: ignore[arg-type]
        except Http404:
            return initial
        initial.update(
            rep=entry.rep_id, source=SuccessStory.Source.FIELD_VOICE, source_note=entry.text[: services.NOTE_MAX]
        )
    return initial


@role_required(*selectors.NOMINATOR_ROLES)
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest) -> HttpResponse:
    form = NominateForm(
        request.POST or None, initial=_initial_from(request), reps=selectors.nominee_choices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story = services.story_nominate(
                by=request.user,
                rep=data["rep"],
                headline=data["headline"],
                source=data["source"],
                source_note=data["source_note"],
            )
        except services.StoryError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Nominated. The rep is asked to say yes and answer a short interview."))
            return redirect("stories:story", story_id=story.pk)
    return render(request, "stories/nominate.html", {"form": form})


@anyone
@require_GET
def story(request: HttpRequest, story_id: int) -> HttpResponse:
    found = selectors.access_story_for_user(request.user, story_id)
    is_rep = found.rep_id == request.user.pk
    context = {
        "story": found,
        "is_rep": is_rep,
        "can_write": selectors.can_write_lessons(request.user),
        "consent_form": ConsentForm(initial={"credit": found.credit or SuccessStory.Credit.NAME}),
        "interview_form": InterviewForm(
            initial={n: getattr(found, n) for n in ("situation", "tried", "worked", "advice", "transcript")}
        ),
        "statement_id": uuid.uuid4(),
        "max_bytes": settings.VIDEO_MAX_UPLOAD_MB * 1024 * 1024,
        "max_mb": settings.VIDEO_MAX_UPLOAD_MB,
    }
    return render(request, "stories/story.html", context)


@role_required(Role.REP)
@require_POST
def consent(request: HttpRequest, story_id: int) -> HttpResponse:
    found = selectors.access_story_for_rep(request.user, story_id)
    agree = request.POST.get("answer") == "yes"
    form = ConsentForm(request.POST)
    if agree and not form.is_valid():
        messages.error(request, _("Choose how you are named in the lesson."))
        return redirect("stories:story", story_id=found.pk)
    try:
        services.story_consent(
            story=found, rep=request.user, consent=agree, credit=form.cleaned_data.get("credit", "") if agree else ""
        )
    except services.StoryError as error:
        message_user(request, error)
    else:
        if agree:
            messages.success(request, _("Thank you. Now answer the four questions, in writing or on camera."))
        else:
            messages.success(request, _("Understood. Your story will not be shared."))
    return redirect("stories:story", story_id=found.pk)


@role_required(Role.REP)
@require_POST
def interview(request: HttpRequest, story_id: int) -> HttpResponse:
    found = selectors.access_story_for_rep(request.user, story_id)
    form = InterviewForm(request.POST)
    if form.is_valid():
        try:
            services.story_interview_save(story=found, rep=request.user, **form.cleaned_data)
        except services.StoryError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Sent. An author will turn your story into a lesson."))
            return redirect("stories:story", story_id=found.pk)
    context = {"story": found, "is_rep": True, "interview_form": form, "consent_form": ConsentForm()}
    return render(request, "stories/story.html", context, status=400)


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@role_required(Role.REP)
@require_POST
def upload_create(request: HttpRequest, story_id: int) -> HttpResponse:
    """Open (or resume) the resumable upload of the rep's recorded answers; chunks go to the roleplay upload URL."""
    found = selectors.access_story_for_rep(request.user, story_id)
    if found.status not in (SuccessStory.Status.CONSENTED, SuccessStory.Status.INTERVIEWED):
        return _json_error(_("Say yes to sharing the story first."))
    try:
        size = int(request.POST.get("size", ""))
        statement_id = uuid.UUID(request.POST.get("statement_id", ""))
    except ValueError:
        return _json_error(_("The upload could not start. Reload the page and try again."))
    try:
        upload = upload_start(rep=request.user, roleplay=None, size=size, statement_id=statement_id)
    except CoachingError as error:
        return _json_error(error.message)
    state = {
        "offset": upload.received,
        "size": upload.size,
        "url": reverse("coaching:roleplay_upload", args=[upload.key]),
        "finish_url": reverse("stories:upload_finish", args=[found.pk, upload.key]),
        "chunk": UPLOAD_CHUNK_BYTES,
    }
    return JsonResponse(state, status=201)


@role_required(Role.REP)
@require_POST
def upload_finish(request: HttpRequest, story_id: int, upload_key: uuid.UUID) -> HttpResponse:
    found = selectors.access_story_for_rep(request.user, story_id)
    upload = access_upload_for_owner(request.user, upload_key)  # type: ignore[arg-type]
    if upload.roleplay_id is not None:
        # The rep's own roleplay take: it is finished on the roleplay's page, not here.
        return _json_error(_("The upload could not start. Reload the page and try again."))
    try:
        services.story_recording_attach(story=found, rep=request.user, upload=upload)
    except services.StoryError as error:
        return _json_error(error.message)
    messages.success(request, _("Your recording was received. Add a few written words if you like, then send."))
    return JsonResponse({"url": reverse("stories:story", args=[found.pk]) + "#interview"})


@role_required(*selectors.AUTHOR_ROLES)
@require_POST
def draft(request: HttpRequest, story_id: int) -> HttpResponse:
    found = selectors.access_story_for_author(request.user, story_id)
    try:
        course = services.story_draft(story=found, author=request.user)
    except services.StoryError as error:
        message_user(request, error)
        return redirect("stories:story", story_id=found.pk)
    messages.success(request, _("The lesson draft is ready. Check the wording, then publish it from the story."))
    return redirect("catalog:studio_course", course_id=course.pk)


@role_required(*selectors.AUTHOR_ROLES)
@require_POST
def publish(request: HttpRequest, story_id: int) -> HttpResponse:
    found = selectors.access_story_for_author(request.user, story_id)
    try:
        services.story_publish(story=found, publisher=request.user)
    except services.StoryError as error:
        message_user(request, error)
    else:
        messages.success(request, _("Published. The rep and their manager were told, and the rep was credited."))
    return redirect("stories:story", story_id=found.pk)
