"""Template helpers for lessons: the one way a lesson's kind is named, and the "use in a course" link."""

from typing import Any

from django import template
from django.utils.text import capfirst

from ..selectors import lesson_kind_label, use_in_course_url

register = template.Library()


@register.filter
def lesson_kind(kind: str) -> str:
    """Return the name of a lesson kind ("quiz" -> 確認テスト) as it is shown everywhere."""
    return capfirst(lesson_kind_label(kind))


@register.inclusion_tag("catalog/_use_in_course.html", takes_context=True)
def use_in_course(context: dict[str, Any], kind: str, ref: int) -> dict[str, str]:
    """Link a quiz, scenario or survey to the page that puts it into a course (nothing for non-authors)."""
    request = context.get("request")
    return {"url": use_in_course_url(request.user, kind=kind, ref=ref) if request is not None else ""}
