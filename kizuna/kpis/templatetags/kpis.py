"""Template filters of the KPI pages: figures with their unit, per-rep values, yen."""

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value: float | None, unit: str = "") -> str:
    """12.3% for rates, 85.0 for scores, – when there is nothing to show."""
    if value is None:
        return "–"
    text = number_format(round(value, 1), 1, force_grouping=True)
    return f"{text}%" if unit == "%" else text


@register.filter
def per_rep(figures: Any, name: str) -> str:
    value = figures.per_rep(name)
    if value is None:
        return "–"
    if name == "revenue":
        return f"¥{number_format(round(value), 0, force_grouping=True)}"
    return number_format(round(value, 1), 1, force_grouping=True)


@register.filter
def yen(value: int | None) -> str:
    return "–" if value is None else f"¥{number_format(value, 0, force_grouping=True)}"


@register.filter
def signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}"
