"""Reads of statements and progress: a person's latest statement, their progress in a lesson or a course."""

import uuid
from functools import lru_cache
from typing import Any

from django.urls import reverse

from .models import CourseProgress, LessonProgress, Statement


@lru_cache(maxsize=32)
def latest_statement_id(*, actor: Any, verb: str, object_iri: str) -> uuid.UUID | None:
    """Return the id of this person's latest statement with this verb on this activity, if any."""
    return (
        Statement.objects.filter(actor=actor, verb=verb, object_iri=object_iri)
        .order_by("-seq")
        .values_list("id", flat=True)
        .first()
    )


def _url_pattern(name: str) -> str:
    return reverse(name, args=[987654321])


def url_with_id(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for the one-id routes of hot lists, without resolving the pattern each time."""
    return _url_pattern(name).replace("987654321", str(pk))


def lesson_progress_for(*, user: Any, lesson: Any) -> LessonProgress | None:
    return LessonProgress.objects.filter(user=user, lesson=lesson).first()


def lesson_statuses(*, user: Any, lessons: list[Any]) -> dict[int, LessonProgress]:
    return {lp.lesson_id: lp for lp in LessonProgress.objects.filter(user=user, lesson__in=lessons)}


def course_progress_for(*, user: Any, course_id: int) -> CourseProgress | None:
    return CourseProgress.objects.filter(user=user, course_id=course_id).select_related("version").first()
