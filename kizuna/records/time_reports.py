"""Learning time as `progressed` statements: a page's or player's report of active time on a lesson or a course,
within one report's bound, and time another system measured (told in parts a statement can count)."""

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from . import vocab
from .models import Statement
from .projections import MAX_COUNTED_SECONDS
from .services import (
    MAX_REPORT_SECONDS,
    StatementError,
    _course_activity,
    _lesson_activity,
    format_duration,
    statement_build,
    statement_record,
)

if TYPE_CHECKING:
    from .services import User  # the rep type services already names


def lesson_time_record(
    *,
    rep: "User",
    lesson: Any,
    seconds: float,
    statement_id: uuid.UUID | None = None,
    timestamp: datetime | None = None,
    reported: bool = False,
) -> Statement:
    """Record active reading time on a lesson page since the page's previous report (``reported``: time another
    system measured, see `reported_time_record`)."""
    if reported:
        return reported_time_record(rep, _lesson_activity(lesson), seconds, statement_id, timestamp)
    return _time_record(rep, _lesson_activity(lesson), seconds, statement_id, timestamp)


def lesson_time_statement(
    *, rep: "User", lesson: Any, seconds: float, statement_id: uuid.UUID, timestamp: datetime | None = None
) -> Statement:
    """The statement `lesson_time_record` stores (a page's report), built for `records.batch.statements_record_many`."""
    return statement_build(
        actor=rep, activity=_lesson_activity(lesson), statement_id=statement_id, timestamp=timestamp, **_time(seconds)
    )


def _time(seconds: float) -> dict[str, Any]:
    """The verb and result of a report of `seconds` spent, within one report's bound."""
    if not 0 < seconds <= MAX_REPORT_SECONDS:
        raise StatementError(_("The reported time is out of range."))
    return {"verb": vocab.PROGRESSED, "result": {"duration": format_duration(seconds)}}


def _time_record(
    rep: "User", activity: Any, seconds: float, statement_id: uuid.UUID | None, timestamp: datetime | None
) -> Statement:
    """A ``progressed`` statement carrying learning time on a lesson or a course, within one report's bound."""
    st, _created = statement_record(
        actor=rep, activity=activity, statement_id=statement_id, timestamp=timestamp, **_time(seconds)
    )
    return st


def reported_time_record(
    rep: "User", activity: Any, seconds: float, statement_id: uuid.UUID | None, timestamp: datetime | None
) -> Statement:
    """Learning time another system measured (an external `progressed`/`experienced` with a duration, an AU's
    session time): it counts as reported, up to MAX_REPORT_SECONDS (an hour) per report.

    One statement counts at most MAX_COUNTED_SECONDS (records.projections: a stuck tab of ours cannot add more),
    so the time is told in parts of at most that, ending at the report's moment and each starting where the
    one before ended: the learning-time rules see the interval [t - duration, t], and two reports that overlap
    count their overlap once. The last part keeps the report's id and the others derive theirs from it, so a
    report sent again records nothing twice. Returns the last part.
    """
    last: Statement | None = None
    for part, part_id, end in reported_time_parts(seconds, statement_id, timestamp):
        st = _time_record(rep, activity, part, part_id, end)
        last = last or st
    assert last is not None
    return last


def reported_time_parts(
    seconds: float, statement_id: uuid.UUID | None, timestamp: datetime | None
) -> list[tuple[float, uuid.UUID, datetime]]:
    """The parts `reported_time_record` tells a report in, last first: (seconds, statement id, end)."""
    if not 0 < seconds <= MAX_REPORT_SECONDS:
        raise StatementError(_("The reported time is out of range."))
    base = statement_id or uuid.uuid4()
    end = timestamp or timezone.now()
    left, n = seconds, 0
    parts = []
    while left > 0:
        part = min(left, MAX_COUNTED_SECONDS)
        parts.append((part, base if n == 0 else uuid.uuid5(base, f"part {n}"), end))
        end -= timedelta(seconds=part)
        left = round(left - part, 3)
        n += 1
    return parts


def reported_time_statements(
    rep: "User", activity: Any, seconds: float, statement_id: uuid.UUID | None, timestamp: datetime | None
) -> list[Statement]:
    """The statements `reported_time_record` stores, built (not saved) for `records.batch.statements_record_many`."""
    return [
        statement_build(
            actor=rep,
            verb=vocab.PROGRESSED,
            activity=activity,
            result={"duration": format_duration(part)},
            statement_id=part_id,
            timestamp=end,
        )
        for part, part_id, end in reported_time_parts(seconds, statement_id, timestamp)
    ]


def course_time_record(
    *,
    rep: "User",
    version: Any,
    seconds: float,
    statement_id: uuid.UUID | None = None,
    timestamp: datetime | None = None,
) -> Statement:
    """Record learning time spent in a course as a whole (reported by another system, not one of its lessons,
    so counted by `reported_time_record`'s rule)."""
    return reported_time_record(rep, _course_activity(version), seconds, statement_id, timestamp)
