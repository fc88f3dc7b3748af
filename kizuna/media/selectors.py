"""Reads of media: the studio's video list, who may open which video, and what shows a video."""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kizuna.orgs.access import can_upload_video, membership_of

from .models import Video
from .uses import media_uses


def videos_for_studio(user: Any) -> QuerySet[Video]:
    """Return the videos shown in the studio: the principal's own for uploaders, none for anyone else.

    Videos partner people uploaded (their roleplay takes) are private to coaching and never listed here.
    """
    if not can_upload_video(user):
        return Video.objects.none()
    return Video.objects.exclude(uploaded_by__membership__organization__kind="partner").select_related("uploaded_by")


def videos_to_choose(user: Any) -> QuerySet[Video]:
    """Return the studio's videos a form may offer (newest first), leaving out those that failed to convert."""
    return videos_for_studio(user).exclude(status=Video.Status.FAILED).order_by("-created_at")


def access_video_for_uploader(user: Any, video_id: int) -> Video:
    """Return a video for the studio pages (uploaders only), or 404."""
    try:
        return videos_for_studio(user).get(pk=video_id)
    except (Video.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_video_by_key_for_uploader(user: Any, key: uuid.UUID) -> Video:
    try:
        return videos_for_studio(user).get(key=key)
    except (Video.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def ready_video_by_key(key: uuid.UUID | str) -> Video | None:
    """Return the ready video with this key, for an app that has checked who may watch it."""
    try:
        return Video.objects.filter(key=key, status=Video.Status.READY).first()
    except (ValueError, TypeError):
        return None


def ready_videos_by_keys(keys: set[str]) -> dict[str, Video]:
    """Return the ready videos among these keys, by key (one query), for an app that has checked who may watch."""
    if not keys:
        return {}
    try:
        return {str(v.key): v for v in Video.objects.filter(key__in=list(keys), status=Video.Status.READY)}
    except (ValueError, TypeError):
        return {}


def _uploaded_by_partner(video_id: int) -> bool:
    return Video.objects.filter(pk=video_id, uploaded_by__membership__organization__kind="partner").exists()


def video_visible_to(user: Any, video_id: int) -> bool:
    """Whether the person may watch this video: where something they may open shows it, or as principal staff.

    A video a partner person uploaded (a roleplay take) is watched through coaching's own signed links;
    here it is visible only where a published lesson shows it (an exemplary take, with consent).
    """
    m = membership_of(user)
    if m is None:
        return False
    if m.is_principal_staff and not _uploaded_by_partner(video_id):
        return True
    return any(use.lets_watch(user, video_id) for use in media_uses())


def access_ready_video_for_viewer(user: Any, key: uuid.UUID) -> Video:
    """Return a ready video the person may watch (through a lesson they may open, or as staff), or 404."""
    video = ready_video_by_key(key)
    if video is None or not video_visible_to(user, video.pk):
        raise Http404
    return video


def video_use_links(user: Any, *, video_id: int) -> list[tuple[str, str]]:
    """Return (label, address) of the pages where this person may put the video to use (a course lesson, …)."""
    links = (use.use_link(user, video_id) for use in media_uses() if use.use_link is not None)
    return [link for link in links if link is not None]


def video_shown_in(*, video_id: int) -> list[str]:
    """Return the titles of what shows this video (lessons: drafts first, then published versions)."""
    titles: list[str] = []
    for use in media_uses():
        for title in use.shown_in(video_id):
            if title not in titles:
                titles.append(title)
    return titles
