"""Template tags of plain words: a text's readability level as a badge (the studio's lists)."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from kizuna.plain.selectors import glossary_in_text, target, text_level

register = template.Library()


@register.simple_tag(takes_context=True)
def plain_level(context: Any, *texts: Any) -> str:
    """Render the readability badge of the texts joined (empty when there is no text).

    The target is read once per page however many badges it shows.
    """
    text = "\n".join(str(t) for t in texts if t)
    if not text.strip():
        return ""
    goal = context.render_context.get("plain_target")
    if goal is None:
        goal = context.render_context["plain_target"] = target()
    level = text_level(text, goal)
    return render_to_string("plain/_level.html", {"level": level}) if level else ""


@register.inclusion_tag("plain/_glossary_sheet.html", takes_context=True)
def glossary_sheet(context: Any, lesson: Any) -> dict[str, Any]:
    """The lesson's glossary terms (tappable, explained in a bottom sheet) and "I didn't understand this word"."""
    request = context["request"]
    text = strip_tags(getattr(lesson, "body_html", "") or "")
    return {
        "lesson": lesson,
        "terms": glossary_in_text(request.user, text) if text.strip() else [],
        "csrf_token": context.get("csrf_token"),
    }
