"""Reads of media: the studio's video list, who may open which video, and which lessons show a video."""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kizuna.catalog.models import Lesson, PublishedLesson
from kizuna.catalog.selectors import video_visible_to
from kizuna.orgs.access import can_upload_video

from .models import Video


def videos_for_studio(user: Any) -> QuerySet[Video]:
    """Return the videos shown in the studio: the principal's own for uploaders, none for anyone else.

    Videos partner people uploaded (their roleplay takes) are private to coaching and never listed here.
    """
    if not can_upload_video(user):
        return Video.objects.none()
    return Video.objects.exclude(uploaded_by__membership__organization__kind="partner").select_related("uploaded_by")


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


def access_ready_video_for_viewer(user: Any, key: uuid.UUID) -> Video:
    """Return a ready video the person may watch (through a lesson they may open, or as staff), or 404."""
    video = Video.objects.filter(key=key, status=Video.Status.READY).first()
    if video is None or not video_visible_to(user, video.pk):
        raise Http404
    return video


def video_lesson_titles(*, video_id: int) -> list[str]:
    """Return the titles of lessons, drafts first, then published versions, that show this video."""
    drafts = Lesson.objects.filter(video_id=video_id).order_by("pk").values_list("title", flat=True)
    published = PublishedLesson.objects.filter(video_id=video_id).order_by("pk").values_list("title", flat=True)
    titles: list[str] = []
    for title in [*drafts, *published]:
        if title not in titles:
            titles.append(title)
    return titles
