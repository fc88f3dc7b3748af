"""Dates and times as people read them: "12月10日(木) 14:00" in the reader's time zone, the zone named only when
it is not theirs (GLOSSARY.md: dates with the weekday, 24-hour times, never an IANA name such as "Asia/Tokyo")."""

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language

# (this year, another year) per language; D is the weekday's abbreviation in the active language.
FORMATS = {
    "ja": ("n月j日(D) H:i", "Y年n月j日(D) H:i"),
    "en": ("M j (D) H:i", "M j, Y (D) H:i"),
}


def utc_offset(value: datetime, zone: tzinfo) -> str:
    """Return the zone's offset from UTC at that moment: "UTC+9", "UTC+5:45", "UTC-3", "UTC"."""
    offset = value.astimezone(zone).utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def zone_abbreviation(value: datetime, zone: tzinfo) -> str:
    """Return the zone's short name at that moment ("JST", "CET"), or its offset ("UTC+8") when it has none."""
    name = value.astimezone(zone).tzname() or ""
    if name[:1] in "+-" and name[1:].isdigit():
        return utc_offset(value, zone)
    return name


def datetime_label(value: datetime | None, zone: str | tzinfo | None = None) -> str:
    """Return the moment as people read it, in `zone` (default: the reader's current time zone).

    The year is added when it is not the reader's current year; the zone's abbreviation only when `zone`'s
    clock differs from the reader's at that moment (a meeting held in Singapore, read in Tokyo).
    """
    if value is None:
        return ""
    reader = timezone.get_current_timezone()
    target = ZoneInfo(zone) if isinstance(zone, str) else (zone or reader)
    local = value.astimezone(target)
    this_year, other_year = FORMATS["en" if (get_language() or "ja").startswith("en") else "ja"]
    text = date_format(local, this_year if local.year == timezone.localdate().year else other_year)
    if local.utcoffset() != value.astimezone(reader).utcoffset():
        text += f" {zone_abbreviation(value, target)}"
    return text
