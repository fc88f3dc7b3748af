"""Dates and times as people read them (ops.datetimes)."""

from datetime import UTC, datetime
from unittest import mock

from django.utils import timezone, translation

from kizuna.ops.datetimes import datetime_label, zone_abbreviation

MOMENT = datetime(2026, 12, 10, 5, 0, tzinfo=UTC)  # 14:00 in Tokyo, a Thursday


def this_year(year: int):
    return mock.patch("kizuna.ops.datetimes.timezone.localdate", return_value=datetime(year, 6, 1).date())


def test_it_reads_in_the_readers_zone_with_the_weekday_and_no_zone_name():
    with translation.override("ja"), timezone.override("Asia/Tokyo"), this_year(2026):
        assert datetime_label(MOMENT) == "12月10日(木) 14:00"
    with translation.override("en"), timezone.override("Asia/Tokyo"), this_year(2026):
        assert datetime_label(MOMENT) == "Dec 10 (Thu) 14:00"


def test_another_year_is_named():
    with translation.override("ja"), timezone.override("Asia/Tokyo"), this_year(2027):
        assert datetime_label(MOMENT) == "2026年12月10日(木) 14:00"


def test_a_zone_other_than_the_readers_is_named_by_its_abbreviation():
    with translation.override("ja"), timezone.override("Asia/Tokyo"), this_year(2026):
        assert datetime_label(MOMENT, "Asia/Singapore") == "12月10日(木) 13:00 UTC+8"
        assert datetime_label(MOMENT, "Europe/London") == "12月10日(木) 05:00 GMT"
        assert datetime_label(MOMENT, "Asia/Seoul") == "12月10日(木) 14:00"  # same clock: not named
        assert datetime_label(None) == ""


def test_offsets_without_a_name_read_as_utc_offsets():
    from zoneinfo import ZoneInfo

    assert zone_abbreviation(MOMENT, ZoneInfo("Asia/Kolkata")) == "IST"
    assert zone_abbreviation(MOMENT, ZoneInfo("Asia/Kathmandu")) == "UTC+5:45"
    assert zone_abbreviation(MOMENT, ZoneInfo("America/Sao_Paulo")) == "UTC-3"


def test_utc_offsets_read_in_hours_and_minutes():
    from zoneinfo import ZoneInfo

    from kizuna.ops.datetimes import utc_offset

    assert utc_offset(MOMENT, ZoneInfo("Asia/Tokyo")) == "UTC+9"
    assert utc_offset(MOMENT, ZoneInfo("Asia/Kathmandu")) == "UTC+5:45"
    assert utc_offset(MOMENT, ZoneInfo("UTC")) == "UTC"
