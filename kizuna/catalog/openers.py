"""Courses a feature opens to people beyond their assignments, told by the feature that opens them.

The catalog decides who may open a published course from assignments. A feature above it may open a
course to more people for a reason of its own (a live session's recording is an archive for everyone
invited to the session): it registers a `CourseOpener` in its AppConfig.ready(), and
`courses_visible_to` adds the courses it names. The catalog never imports the feature.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class CourseOpener:
    name: str
    #: (person) -> a query of the ids of the courses this feature opens to them (one column), used as a subquery.
    course_ids: Callable[[Any], QuerySet[Any]]


_OPENERS: dict[str, CourseOpener] = {}


def register_course_opener(opener: CourseOpener) -> None:
    _OPENERS[opener.name] = opener


def course_openers() -> list[CourseOpener]:
    return [_OPENERS[name] for name in sorted(_OPENERS)]
