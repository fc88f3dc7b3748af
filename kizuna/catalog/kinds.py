"""Lesson kinds whose content another app owns (micro lesson, quiz, scenario).

This is the one seam between a course and that content. The owning app
registers a ContentKind in its AppConfig.ready(); the studio offers its
content to authors, publishing asks it for problems and for an immutable
published id, and the lesson page asks it what to draw. Such a lesson is
completed only by its own app (a quiz passed, a scenario played to an end),
through ``kizuna.records.services.lesson_complete(..., by_content=True)``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class ContentKind:
    kind: str  # a kizuna.catalog.models.LessonKind value
    # (author) -> [(draft content id, label)] the author may put in a lesson
    choices: Callable[[Any], list[tuple[int, str]]]
    # (draft content id) -> problems that stop publishing, in the user's language
    publish_problems: Callable[[int], list[str]]
    # (draft content id, publisher) -> the id of an immutable published version of it
    publish: Callable[[int, Any], int]
    # (request, published lesson, the user's LessonProgress or None) -> (template name, context)
    learner: Callable[[HttpRequest, Any, Any], tuple[str, dict[str, Any]]]
    # Whether the lesson also carries a video (a micro lesson does).
    uses_video: bool = False
    # (draft content id) -> its title, the default title of a lesson made from it (None if it is gone)
    title: Callable[[int], str | None] | None = None
    # Whether the content judges the rep and records the lesson's result with a score (a SCORM package, a cmi5
    # course: ``kizuna.records.services.lesson_result_record``), so a certification may require a score in it.
    scored: bool = False


_KINDS: dict[str, ContentKind] = {}


def register(kind: ContentKind) -> None:
    _KINDS[kind.kind] = kind


def content_kind(kind: str) -> ContentKind | None:
    """Return the registered owner of a lesson kind, or None for article and video."""
    return _KINDS.get(kind)


def lesson_kinds() -> list[tuple[str, str]]:
    """Return (value, label) of every kind an author may add now: article, video and each registered kind."""
    from .models import LessonKind

    own = {LessonKind.ARTICLE, LessonKind.VIDEO}
    return [(k.value, str(k.label)) for k in LessonKind if k in own or k.value in _KINDS]
