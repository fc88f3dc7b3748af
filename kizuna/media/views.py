"""Screens of the video studio, and the access-checked endpoints that send video files."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from kizuna.orgs.access import Role, role_required

from .forms import VideoUploadForm
from .selectors import (
    access_ready_video_for_viewer,
    access_video_by_key_for_uploader,
    access_video_for_uploader,
    video_shown_in,
    video_use_links,
    videos_for_studio,
)
from .services import MediaError, video_create, video_delete
from .serving import stored_file_response

UPLOADERS = (Role.ADMIN, Role.AUTHOR, Role.COACH)


@require_http_methods(["GET", "POST"])
@role_required(*UPLOADERS)
def videos(request: HttpRequest) -> HttpResponse:
    form = VideoUploadForm(request.POST, request.FILES) if request.method == "POST" else VideoUploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            video = video_create(
                uploaded_by=request.user, file=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except MediaError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("Uploaded. The video is being converted; it is ready in a few minutes."))
            if request.htmx:
                return HttpResponseClientRedirect(video.get_absolute_url())
            return redirect(video)
    context = {
        "form": form,
        "max_mb": settings.VIDEO_MAX_UPLOAD_MB,
        "max_bytes": settings.VIDEO_MAX_UPLOAD_MB * 1024 * 1024,
    }
    if request.htmx:
        return render(request, "media/_upload_form.html", context)
    context["videos"] = videos_for_studio(request.user)
    return render(request, "media/videos.html", context)


@require_GET
@role_required(*UPLOADERS)
def video_detail(request: HttpRequest, video_id: int) -> HttpResponse:
    video = access_video_for_uploader(request.user, video_id)
    context = {
        "video": video,
        "lessons": video_shown_in(video_id=video.pk),
        "use_links": video_use_links(request.user, video_id=video.pk),
    }
    return render(request, "media/video_detail.html", context)


@require_POST
@role_required(*UPLOADERS)
def video_delete_view(request: HttpRequest, video_id: int) -> HttpResponse:
    video = access_video_for_uploader(request.user, video_id)
    try:
        video_delete(video=video)
    except MediaError as error:
        messages.error(request, error.message)
        return redirect(video)
    messages.success(request, _("The video was deleted."))
    return redirect("media:videos")


@require_GET
@role_required(*UPLOADERS)
def video_status(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    video = access_video_by_key_for_uploader(request.user, key)
    return render(request, "media/_video_status.html", {"video": video})


@require_http_methods(["GET", "HEAD"])
def video_stream(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    video = access_ready_video_for_viewer(request.user, key)
    return stored_file_response(request, name=video.mp4.name, content_type="video/mp4")


@require_http_methods(["GET", "HEAD"])
def video_poster(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    video = access_ready_video_for_viewer(request.user, key)
    return stored_file_response(request, name=video.poster.name, content_type="image/jpeg")
