"""Small display helpers of the review page: m:ss clocks, percentages, the timeline's marker positions."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def clock(seconds: Any) -> str:
    """Return seconds as m:ss (h:mm:ss past an hour)."""
    try:
        total = max(int(seconds or 0), 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def percent(value: Any) -> str:
    """Return a 0..1 score as a whole percentage, or "–" when there is none."""
    if value is None:
        return "–"
    return str(round(float(value) * 100))


@register.simple_tag
def marker_x(second: int, duration: float | None, width: int = 1000) -> int:
    """Return the x position of a comment's marker on a timeline `width` units long."""
    if not duration:
        return 0
    return max(0, min(width, round(second / duration * width)))


@register.filter
def named(person: Any, namer: Any) -> str:
    """Return how the viewer sees this person named in reviews (real name, agency or pseudonym).

    The principal's coaches and admins review under their own names: only reps and managers of another
    agency are named per the principal's setting.
    """
    if person is None or namer is None:
        return ""
    from kizuna.coaching.selectors import display_name

    return display_name(namer, person)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping is not None else None


@register.filter
def agreement(deviation: Any) -> str:
    """Return a 0..1 distance from the coaches as an agreement percentage."""
    if deviation is None:
        return "–"
    return str(round((1 - float(deviation)) * 100))
