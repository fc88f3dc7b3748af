"""Learning time: the minutes of real learning per rep and day, derived from statements.

The rules (shown on the learning-time report too):

1. Only a partner person's own learning statements count. Assignments (made by someone else),
   registrations, recognitions received from others and voids count nothing.
2. A statement with ``result.duration`` — the lesson page and the video player report the
   *active* seconds since their previous report and stop counting while the tab is hidden —
   claims the interval [t − duration, t], with the duration capped at 120 s per statement
   (records' MAX_COUNTED_SECONDS), so a stuck or forgotten tab cannot add more. Attendance of a
   live session with a duration is capped at 3 hours, a video player's report (Video Profile paused,
   seeked, terminated: time played since its previous statement, which the video's end stops) at 1 hour.
3. An interaction without a duration (answering a question, a scenario choice, passing or
   failing a quiz, finishing a lesson, submitting or reviewing a roleplay, posting in the
   community) claims the time since the same person's previous statement that day, but only
   when that gap is at most 5 minutes: a longer gap counts nothing (they were away, the tab idle).
4. Markers — launched, initialized, terminated, video played / paused / seeked — claim nothing;
   they only start the gap of rule 3. An open tab that sends nothing therefore counts nothing.
5. All claims of a day are merged, so overlapping time counts once. A day is a calendar day in
   the deployment's time zone; claims are clipped to it.

Each day's figure is a pure function of that person's statements of that day, so the live path
(recompute the day of each new statement) and the rebuild (every statement, grouped by person
and day) give the same numbers whatever order the statements arrived in.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from kizuna.records.models import Statement
from kizuna.records.projections import counted_cap, rebuild_in_passes
from kizuna.records.selectors import stored_window
from kizuna.records.vocab import is_learning_verb

from .models import LearningTimeDay, LearningTimeMonth

MAX_LIVE_SESSION_SECONDS = 3 * 3600.0
IDLE_GAP_SECONDS = 300.0

# Besides what records says is not learning (assignments, recognitions, certification events…).
_IGNORED = {"registered"}
_MARKERS = {"launched", "initialized", "terminated", "played", "paused", "seeked"}
_MEETING = "http://adlnet.gov/expapi/activities/meeting"

IGNORED, MARKER, TIMED, INTERACTION = 0, 1, 2, 3

Row = tuple[datetime, str, str, float | None, int | None]  # timestamp, verb, object type, duration, partner id


def _verb_name(verb: str) -> str:
    return verb.rstrip("/").rsplit("/", 1)[-1]


def classify(verb: str, duration: float | None) -> int:
    """Return how a statement counts: IGNORED, MARKER, TIMED or INTERACTION."""
    name = _verb_name(verb)
    if name in _IGNORED or not is_learning_verb(verb):
        return IGNORED
    if duration is not None:
        return TIMED
    if name in _MARKERS:
        return MARKER
    return INTERACTION


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_of(ts: datetime) -> date:
    return ts.astimezone(_tz()).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=_tz())
    return start, start + timedelta(days=1)


def month_of(day: date) -> date:
    return day.replace(day=1)


def _row_order(row: Row) -> tuple:
    """Statements by time, and those of the same instant by their content: the result never depends on the
    order the database happened to return them in (the live path and the rebuild read them differently)."""
    ts, verb, object_type, duration, partner_id = row
    return (ts, verb, object_type, duration is None, duration or 0.0, partner_id or 0)


def day_seconds(rows: Iterable[Row], day: date) -> tuple[float, int]:
    """Return (seconds of real learning, statements counted) of one person's statements of one day."""
    start, end = (b.timestamp() for b in day_bounds(day))
    claims: list[tuple[float, float]] = []
    previous: float | None = None
    counted = 0
    for ts, verb, object_type, duration, _partner in sorted(rows, key=_row_order):
        kind = classify(verb, duration)
        if kind == IGNORED:
            continue
        counted += 1
        t = ts.timestamp()
        if kind == TIMED:
            cap = MAX_LIVE_SESSION_SECONDS if object_type == _MEETING else counted_cap(verb)
            seconds = min(max(duration or 0.0, 0.0), cap)
            if seconds > 0:
                claims.append((t - seconds, t))
        elif kind == INTERACTION and previous is not None and 0 < t - previous <= IDLE_GAP_SECONDS:
            claims.append((previous, t))
        previous = t
    total, reach = 0.0, start
    for s, e in sorted(claims):
        s, e = max(s, reach), min(e, end)
        if e > s:
            total += e - s
            reach = e
    return round(total, 3), counted


def _day_partner(rows: list[Row]) -> int | None:
    kept = [r for r in rows if classify(r[1], r[3]) != IGNORED and r[4] is not None]
    return max(kept, key=_row_order)[4] if kept else None


def _rows_of_day(rep_id: int, day: date) -> list[Row]:
    start, end = day_bounds(day)
    return list(
        # Stored after the day began (a margin for clocks): the months before are not read.
        Statement.objects.filter(
            stored_window(start), actor_id=rep_id, timestamp__gte=start, timestamp__lt=end, partner__isnull=False
        )
        .order_by()
        .values_list("timestamp", "verb", "object_type", "duration_seconds", "partner_id")
    )


def _month_values(days: list[tuple[date, float, int]]) -> dict[str, object]:
    """The month row of some day rows (day, seconds, partner id): the partner of its latest day."""
    days = sorted(days)
    return {
        "partner_id": days[-1][2],
        "seconds": sum(seconds for _day, seconds, _partner in days),
        "days": sum(1 for _day, seconds, _partner in days if seconds > 0),
    }


def _month_rollup_save(rep_id: int, month: date) -> None:
    next_month = (month + timedelta(days=32)).replace(day=1)
    days = list(
        LearningTimeDay.objects.filter(rep_id=rep_id, day__gte=month, day__lt=next_month).values_list(
            "day", "seconds", "partner_id"
        )
    )
    LearningTimeMonth.objects.update_or_create(rep_id=rep_id, month=month, defaults=_month_values(days))


def learning_time_apply(st: Statement) -> None:
    """Recompute the day (and its month) of a newly stored statement of a partner person."""
    learning_time_apply_batch([st])


def learning_time_apply_batch(statements: list[Statement]) -> None:
    """Recompute each day (and month) the statements fall on, once per person and day however many there are."""
    days: dict[tuple[int, date], int] = {}
    for st in statements:
        if st.partner_id is None or classify(st.verb, st.duration_seconds) == IGNORED:
            continue
        days[(st.actor_id, day_of(st.timestamp))] = st.partner_id
    months = set()
    for (rep_id, day), fallback_partner_id in days.items():
        rows = _rows_of_day(rep_id, day)
        seconds, counted = day_seconds(rows, day)
        partner_id = _day_partner(rows) or fallback_partner_id
        LearningTimeDay.objects.update_or_create(
            rep_id=rep_id, day=day, defaults={"partner_id": partner_id, "seconds": seconds, "statements": counted}
        )
        months.add((rep_id, month_of(day)))
    for rep_id, month in months:
        _month_rollup_save(rep_id, month)


def rebuild() -> int:
    """Throw every learning-time row away and derive them again from the statements; return the day rows made."""
    LearningTimeDay.objects.all().delete()
    LearningTimeMonth.objects.all().delete()
    return _derive(Statement.objects.filter(partner__isnull=False))


def rebuild_reps(rep_ids: list[int]) -> int:
    """Derive these reps' learning-time rows again from all their statements (a partner's rebuild)."""

    def one_pass(group: list[int]) -> int:
        LearningTimeDay.objects.filter(rep_id__in=group).delete()
        LearningTimeMonth.objects.filter(rep_id__in=group).delete()
        return _derive(Statement.objects.filter(partner__isnull=False, actor_id__in=group))

    return rebuild_in_passes(rep_ids, one_pass)


def rebuild_month(month: date) -> int:
    """Derive one month's learning-time rows again, from the statements that happened in it: the partitions
    from that month on only (a statement is stored when it arrives, never long before it happened)."""
    start = datetime.combine(month, time.min, tzinfo=_tz())
    end = datetime.combine((month + timedelta(days=32)).replace(day=1), time.min, tzinfo=start.tzinfo)
    LearningTimeDay.objects.filter(day__gte=start.date(), day__lt=end.date()).delete()
    LearningTimeMonth.objects.filter(month=month).delete()
    return _derive(
        Statement.objects.filter(stored_window(start), partner__isnull=False, timestamp__gte=start, timestamp__lt=end)
    )


def _derive(statements: QuerySet[Statement], batch_size: int = 5000) -> int:
    rows_iter = (
        statements.order_by("actor_id", "timestamp")
        .values_list("actor_id", "timestamp", "verb", "object_type", "duration_seconds", "partner_id")
        .iterator(chunk_size=batch_size)
    )
    pending: list[LearningTimeDay] = []
    months: dict[tuple[int, date], list[tuple[date, float, int]]] = {}
    made = 0
    current: tuple[int, date] | None = None
    group: list[Row] = []

    def flush() -> None:
        nonlocal made
        if current is None or not group:
            return
        partner_id = _day_partner(group)
        if partner_id is None:
            return
        seconds, counted = day_seconds(group, current[1])
        pending.append(
            LearningTimeDay(
                rep_id=current[0], partner_id=partner_id, day=current[1], seconds=seconds, statements=counted
            )
        )
        made += 1
        months.setdefault((current[0], month_of(current[1])), []).append((current[1], seconds, partner_id))
        if len(pending) >= batch_size:
            LearningTimeDay.objects.bulk_create(pending)
            pending.clear()

    for actor_id, ts, verb, object_type, duration, partner_id in rows_iter:
        key = (actor_id, day_of(ts))
        if key != current:
            flush()
            current, group = key, []
        group.append((ts, verb, object_type, duration, partner_id))
    flush()
    LearningTimeDay.objects.bulk_create(pending)
    LearningTimeMonth.objects.bulk_create(
        [
            LearningTimeMonth(rep_id=rep_id, month=month, **_month_values(days))  # type: ignore[arg-type]
            for (rep_id, month), days in months.items()
        ],
        batch_size=batch_size,
    )
    return made
