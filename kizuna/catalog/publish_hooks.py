"""What features do when a course is published, however it was published (the studio, a feature's own button).

A feature whose content becomes a course (a success story) registers a hook in its AppConfig.ready(); the catalog
calls every hook at the end of `course_publish`, in the same transaction, so a refused hook publishes nothing. The
catalog never imports the feature.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

# (course, the new version, publisher, when) -> None
CoursePublished = Callable[[Any, Any, Any, datetime], None]
_HOOKS: dict[str, CoursePublished] = {}


def register_course_published(name: str, hook: CoursePublished) -> None:
    _HOOKS[name] = hook


def course_published(*, course: Any, version: Any, publisher: Any, when: datetime) -> None:
    """Tell every registered feature that the course was published (in name order)."""
    for name in sorted(_HOOKS):
        _HOOKS[name](course, version, publisher, when)
