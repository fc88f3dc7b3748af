"""Months as the periods of sales figures and learning rollups: a month is the date of its first day."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_MONTH = re.compile(r"^\s*(\d{4})[-/年.](\d{1,2})(?:[-/月.](\d{1,2})日?|月)?\s*$")


def month_of(value: date | datetime) -> date:
    """Return the first day of the month of a date, or of a moment in the deployment's time zone."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(ZoneInfo(settings.TIME_ZONE))
        value = value.date()
    return value.replace(day=1)


def month_add(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Return every month from first to last, both included."""
    out = []
    month = month_of(first)
    while month <= last:
        out.append(month)
        month = month_add(month, 1)
    return out


def parse_month(value: object) -> date | None:
    """Read a month from a spreadsheet cell or API field: 2026-10, 2026/10, 2026年10月, a date; else None."""
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    if not isinstance(value, str):
        return None
    match = _MONTH.match(value)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        return None
    return date(year, month, 1)


def month_key(month: date) -> str:
    return month.strftime("%Y-%m")


def current_month() -> date:
    return month_of(timezone.now())
