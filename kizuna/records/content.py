"""What the statement store needs to know about content, told by the app that owns it.

Records sits below the catalog (every app records statements, the catalog too), so it never imports
it: the catalog registers here, in its AppConfig.ready(), how to count a course version's lessons and
how a lesson or a course version is named as an xAPI activity.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ContentSource:
    #: The number of lessons of a published course version (0 if it does not exist).
    lesson_count: Callable[[int], int]
    #: The xAPI activity of a published lesson, as keyword arguments of `records.services.Activity`.
    lesson_activity: Callable[[Any], dict[str, Any]]
    #: The xAPI activity of a published course version, likewise.
    course_activity: Callable[[Any], dict[str, Any]]


_source: ContentSource | None = None


def register_content_source(source: ContentSource) -> None:
    global _source
    _source = source


def content_source() -> ContentSource:
    if _source is None:
        raise RuntimeError("No content source is registered: is kizuna.catalog in INSTALLED_APPS?")
    return _source
