"""Screens of the video studio, and the access-checked endpoints that send video files."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from kizuna.ops.storage import signed_url_lifetime, storage_is_remote
from kizuna.orgs.access import Role, role_required

from .forms import VideoUploadForm
from .hls import PLAYLIST_TYPE, hls_file_name, hls_playlist_text
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


@require_http_methods(["GET", "HEAD"])
def video_phone(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """The phone-sized MP4 (the smallest HLS rendition), or the MP4 while there is none."""
    video = access_ready_video_for_viewer(request.user, key)
    return stored_file_response(request, name=video.phone_mp4.name or video.mp4.name, content_type="video/mp4")


def _playlist_response(text: str | None) -> HttpResponse:
    if text is None:
        raise Http404
    response = HttpResponse(text, content_type=PLAYLIST_TYPE)
    # A bucket's signed segment URLs expire: a kept playlist must not outlive them.
    lifetime = min(300, signed_url_lifetime() // 4) if storage_is_remote() else 300
    response["Cache-Control"] = f"private, max-age={lifetime}"
    return response


@require_http_methods(["GET", "HEAD"])
def video_hls_master(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    video = access_ready_video_for_viewer(request.user, key)
    return _playlist_response(hls_playlist_text(video))


@require_http_methods(["GET", "HEAD"])
def video_hls_file(request: HttpRequest, key: uuid.UUID, rendition: str, hls_file: str) -> HttpResponse:
    """A rendition's playlist (segments signed when they live in a bucket), or one of its segments."""
    video = access_ready_video_for_viewer(request.user, key)
    stored = hls_file_name(video, rendition, hls_file)
    if stored is None:
        raise Http404
    if hls_file == "index.m3u8":
        return _playlist_response(hls_playlist_text(video, rendition))
    content_type = "video/mp4" if hls_file.endswith(".mp4") else "video/iso.segment"
    return stored_file_response(request, name=stored, content_type=content_type)
