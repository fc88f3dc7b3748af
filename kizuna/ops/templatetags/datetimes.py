"""{% load datetimes %}: `{{ value|datetime_label }}` or `{{ value|datetime_label:"Asia/Singapore" }}` (ops.datetimes)."""

from datetime import datetime

from django import template

from kizuna.ops import datetimes

register = template.Library()


@register.filter
def datetime_label(value: datetime | None, zone: str | None = None) -> str:
    """The moment as people read it, in the reader's zone (or the one given, then named)."""
    return datetimes.datetime_label(value, zone or None)
