"""Template tags of plain words: a lesson's stored readability level as a badge (the studio's lists), the glossary sheet."""

from typing import Any

from django import template
from django.template.loader import render_to_string

from kizuna.plain.selectors import lesson_glossary, stored_level, target

register = template.Library()


@register.simple_tag(takes_context=True)
def plain_stored_level(context: Any, level: float | None, lang: str) -> str:
    """Render the badge of a level stored with the text (a lesson's): nothing is analysed while the page renders.

    The principal's target is read once per page and shown next to the level.
    """
    if level is None:
        return ""
    goal = context.render_context.get("plain_target")
    if goal is None:
        goal = context.render_context["plain_target"] = target()
    shown = stored_level(level, lang, goal)
    return render_to_string("plain/_level.html", {"level": shown}) if shown else ""


@register.inclusion_tag("plain/_glossary_sheet.html", takes_context=True)
def glossary_sheet(context: Any, lesson: Any) -> dict[str, Any]:
    """The lesson's glossary terms (tappable, explained in a bottom sheet) and "I didn't understand this word"."""
    return {
        "lesson": lesson,
        "terms": lesson_glossary(context["request"].user, lesson),
        "csrf_token": context.get("csrf_token"),
    }
