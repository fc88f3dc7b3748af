"""Five weeks of learning history, planned per rep and then played through the real records services.

Planning is pure: from a rep's pace, the courses that reach them and a seeded
random generator it returns the steps the rep took — opening a lesson, reading
for a while, watching part of a video, finishing — each with its time. Reps
learn on their phones in short sessions: on the morning train, at lunch, on the
way home, sometimes late at night; rarely at weekends. Playing the steps through
``kizuna.records.services`` in time order writes real statements, so progress,
completion and time spent are derived exactly as in production.
"""

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from kizuna.ops.progress import QUIET, Progress
from kizuna.records import batch, time_reports, vocab
from kizuna.records import services as records

from .people import ACE, IDLE, SLOW, STEADY

LAUNCH, READ, WATCH, COMPLETE = "launch", "read", "watch", "complete"
READ_CHUNK_SECONDS = 90  # an article page reports its active time about every minute and a half
WATCH_CHUNKS = 3  # a video player reports its played segments a few times per viewing
REVIEW_WINDOW_DAYS = 16
NOT_AFTER = timedelta(minutes=20)  # nothing in the last minutes, so "now" is never in the middle of a session

# When reps learn (local time): morning train, lunch, the way home, late evening; with weights.
SLOTS = ((time(7, 35), 50, 30), (time(12, 5), 45, 30), (time(17, 50), 75, 25), (time(20, 50), 95, 15))


@dataclass(frozen=True)
class Pace:
    """How a kind of rep learns: when they start, how often they come back, how far they get."""

    delay_days: tuple[float, float]  # from a course reaching them (or finishing the previous one) to starting it
    gap_days: tuple[float, float]  # between sessions
    lessons_per_session: tuple[int, int]
    # For the rep's 1st, 2nd, 3rd… course in order: chance of finishing it, and of getting part of the way.
    finish: tuple[float, ...]
    partial: tuple[float, ...]
    reviews: tuple[int, int] = (0, 0)  # later visits to articles already finished (before a meeting, say)
    # Minutes a week of going back over finished lessons on the phone, drawn once per rep: most reps keep
    # learning after a course is done, so a month's learning time is more than the courses' reading time.
    habit_minutes: tuple[float, float] = (0, 0)


PACES = {
    ACE: Pace(
        (0.2, 2.5),
        (0.4, 1.8),
        (1, 3),
        finish=(1, 1, 1, 0.85, 0.75),
        partial=(0, 0, 0, 0.15, 0.2),
        reviews=(2, 4),
        habit_minutes=(22, 40),
    ),
    STEADY: Pace(
        (1.5, 6),
        (1, 3.5),
        (1, 2),
        finish=(1, 0.7, 0.35, 0.2, 0.1),
        partial=(0, 0.3, 0.45, 0.3, 0.25),
        reviews=(1, 3),
        habit_minutes=(20, 36),
    ),
    SLOW: Pace(
        (5, 12),
        (2.5, 6),
        (1, 1),
        finish=(0.45, 0.1, 0, 0, 0),
        partial=(0.45, 0.45, 0.25, 0.1, 0),
        reviews=(0, 1),
        habit_minutes=(2, 8),
    ),
    IDLE: Pace((0, 0), (0, 0), (0, 0), finish=(), partial=()),
}


@dataclass(frozen=True)
class CourseTask:
    """A published course as it reaches one rep."""

    lessons: tuple[Any, ...]  # the published lessons, in order (with version, course and video loaded)
    available_at: datetime
    due_at: datetime | None


@dataclass
class Step:
    at: datetime
    rep: Any
    lesson: Any
    action: str
    statement_id: uuid.UUID
    seconds: float = 0.0
    segment: tuple[float, float] | None = None
    # A viewing of a video, reported in pieces: where it started, whether this piece opens or closes it.
    view_start: float = 0.0
    first: bool = False
    last: bool = False
    session: uuid.UUID | None = None


@dataclass
class Timeline:
    """The steps of one rep, always moving forward in time."""

    rep: Any
    rng: random.Random
    now: datetime
    steps: list[Step] = field(default_factory=list)

    @property
    def last(self) -> datetime | None:
        return self.steps[-1].at if self.steps else None

    def add(self, at: datetime, lesson: Any, action: str, **kwargs: Any) -> bool:
        """Add a step; refuse (and return False) once the plan reaches the present."""
        if at > self.now - NOT_AFTER:
            return False
        statement_id = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        self.steps.append(Step(at=at, rep=self.rep, lesson=lesson, action=action, statement_id=statement_id, **kwargs))
        return True


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


def session_start(rng: random.Random, *, after: datetime, gap_days: float) -> datetime:
    """Return the start of the rep's next phone session, about gap_days after `after`."""
    day = timezone.localtime(after + timedelta(days=gap_days)).date()
    while True:
        if day.weekday() >= 5 and rng.random() < 0.8:  # most reps leave weekends alone
            day += timedelta(days=7 - day.weekday() + rng.choice((0, 0, 1, 2)))
        slot, spread, _weight = rng.choices(SLOTS, weights=[s[2] for s in SLOTS])[0]
        start = _local(day, slot) + timedelta(minutes=rng.uniform(0, spread), seconds=rng.randint(0, 59))
        if start > after:
            return start
        day += timedelta(days=1)


def video_length(lesson: Any) -> float:
    return float(lesson.video.duration_seconds) if lesson.kind == "video" and lesson.video_id else 0.0


def lesson_steps(tl: Timeline, lesson: Any, at: datetime, *, share: float = 1.0) -> datetime | None:
    """Plan one visit to a lesson from `at`; with share < 1 the rep leaves part-way. Return when they left."""
    if not tl.add(at, lesson, LAUNCH):
        return None
    rng = tl.rng
    at += timedelta(seconds=rng.uniform(2, 6))
    length = video_length(lesson)
    if length:
        # Watch from the start in a few reported pieces; the real 90% rule completes the lesson.
        end = length if share >= 1 else round(length * share, 2)
        bounds = [round(end * i / WATCH_CHUNKS, 2) for i in range(WATCH_CHUNKS + 1)]
        session = None
        for index, (start, stop) in enumerate(zip(bounds, bounds[1:], strict=False)):
            played = stop - start
            at += timedelta(seconds=played + rng.uniform(0.3, 2.0))
            if not tl.add(at, lesson, WATCH, segment=(start, stop), seconds=round(played + rng.uniform(0.2, 1.5), 2)):
                return None
            step = tl.steps[-1]
            # Derived from the step's own id, so the random draws (and the whole demo) stay as they were.
            session = session or uuid.uuid5(step.statement_id, "session")
            step.view_start, step.session = bounds[0], session
            step.first, step.last = index == 0, index == WATCH_CHUNKS - 1
        return at
    reading = lesson.estimated_minutes * 60 * rng.uniform(0.55, 1.15) * min(share, 1.0)
    while reading > 1:
        chunk = min(reading, READ_CHUNK_SECONDS * rng.uniform(0.8, 1.2))
        at += timedelta(seconds=chunk)
        if not tl.add(at, lesson, READ, seconds=round(chunk, 1)):
            return None
        reading -= chunk
    if share >= 1:
        at += timedelta(seconds=rng.uniform(1, 4))
        if not tl.add(at, lesson, COMPLETE):
            return None
    return at


def course_steps(tl: Timeline, task: CourseTask, pace: Pace, *, finish: int, partial: bool) -> None:
    """Plan the sessions in which the rep finishes `finish` lessons of a course and maybe starts the next."""
    rng = tl.rng
    after = max(task.available_at, tl.last or task.available_at)
    at = session_start(rng, after=after, gap_days=rng.uniform(*pace.delay_days))
    todo = list(task.lessons[:finish])
    while todo:
        for _ in range(rng.randint(*pace.lessons_per_session)):
            if not todo:
                break
            left = lesson_steps(tl, todo.pop(0), at)
            if left is None:
                return
            at = left + timedelta(seconds=rng.uniform(5, 40))
        if todo or partial:
            at = session_start(rng, after=at, gap_days=rng.uniform(*pace.gap_days))
    if partial and finish < len(task.lessons):
        lesson_steps(tl, task.lessons[finish], at, share=rng.uniform(0.2, 0.7))


def rep_plan(
    *, rep: Any, pace_name: str, tasks: list[CourseTask], rng: random.Random, fate: random.Random, now: datetime
) -> list[Step]:
    """Plan one rep's five weeks: their courses in the order they arrived, as far as their pace takes them.

    `fate` decides how far the rep gets in each course and `rng` when things happen, so that
    how far each rep got does not depend on the weekday the demo is loaded.
    """
    pace = PACES[pace_name]
    tl = Timeline(rep=rep, rng=rng, now=now)
    ordered = sorted(tasks, key=lambda t: (t.available_at, t.due_at or now + timedelta(days=3650)))
    for index, task in enumerate(ordered):
        if index >= len(pace.finish):
            break
        roll = fate.random()
        total = len(task.lessons)
        if roll < pace.finish[index]:
            course_steps(tl, task, pace, finish=total, partial=False)
        elif roll < pace.finish[index] + pace.partial[index]:
            course_steps(tl, task, pace, finish=fate.randint(0, total - 1), partial=True)
    review_steps(tl, pace)
    habit_steps(tl, pace, weekly_minutes=fate.uniform(*pace.habit_minutes))
    return tl.steps


def review_steps(tl: Timeline, pace: Pace) -> None:
    """Plan a few short returns, in the last two weeks, to articles the rep has already finished."""
    finished = list({step.lesson.pk: step.lesson for step in tl.steps if step.action == COMPLETE}.values())
    if not finished or tl.last is None:
        return
    rng = tl.rng
    at = max(tl.last, tl.now - timedelta(days=REVIEW_WINDOW_DAYS))
    for _ in range(rng.randint(*pace.reviews)):
        at = session_start(rng, after=at, gap_days=rng.uniform(1, 4))
        lesson = rng.choice(finished)
        if not tl.add(at, lesson, LAUNCH):
            return
        for _chunk in range(rng.randint(1, 2)):
            seconds = round(rng.uniform(25, 80), 1)
            at += timedelta(seconds=seconds)
            if not tl.add(at, lesson, READ, seconds=seconds):
                return


def habit_steps(tl: Timeline, pace: Pace, *, weekly_minutes: float) -> None:
    """Plan the rep's habit: each week from their first finished lesson to today, three or four short
    sessions going back over lessons they finished, on days they were not doing their courses if they can."""
    completed = sorted((s.at, s.lesson) for s in tl.steps if s.action == COMPLETE)
    if weekly_minutes <= 0 or not completed:
        return
    rng = tl.rng
    busy = {timezone.localtime(s.at).date() for s in tl.steps}
    week = timezone.localtime(completed[0][0]).date() + timedelta(days=1)
    last_day = timezone.localtime(tl.now).date()
    while week <= last_day:
        days = [week + timedelta(days=i) for i in range(7) if week + timedelta(days=i) <= last_day]
        free = [d for d in days if d not in busy and d.weekday() < 5] or days
        sessions = rng.sample(free, min(len(free), rng.randint(3, 4)))
        for day in sorted(sessions):
            minutes = weekly_minutes / len(sessions) * rng.uniform(0.7, 1.3)
            _habit_session(
                tl, day, minutes, [lesson for done_at, lesson in completed if timezone.localtime(done_at).date() < day]
            )
        week += timedelta(days=7)


def _habit_session(tl: Timeline, day: date, minutes: float, finished: list[Any]) -> None:
    if not finished:
        return
    rng = tl.rng
    slot, spread, _weight = rng.choices(SLOTS, weights=[s[2] for s in SLOTS])[0]
    at = _local(day, slot) + timedelta(minutes=rng.uniform(0, spread), seconds=rng.randint(0, 59))
    lesson = rng.choice(finished)
    if not tl.add(at, lesson, LAUNCH):
        return
    reading = minutes * 60
    while reading > 1:
        chunk = min(reading, READ_CHUNK_SECONDS * rng.uniform(0.8, 1.2))
        at += timedelta(seconds=chunk)
        if not tl.add(at, lesson, READ, seconds=round(chunk, 1)):
            return
        reading -= chunk


def scripted_rep_plan(
    *, rep: Any, done: CourseTask, started: CourseTask, rng: random.Random, now: datetime
) -> list[Step]:
    """Plan partner A's rep1: one course finished weeks ago, the next one half-way (a video to resume)."""
    tl = Timeline(rep=rep, rng=rng, now=now)
    today = timezone.localtime(now).date()
    sessions = [(30, time(7, 52), 2), (29, time(12, 18), 1), (27, time(21, 5), 2)]
    lessons = list(done.lessons)
    for days_ago, at_time, count in sessions:
        at = _local(today - timedelta(days=days_ago), at_time)
        for _ in range(count):
            if lessons:
                at = (lesson_steps(tl, lessons.pop(0), at) or at) + timedelta(seconds=20)
    first, second = started.lessons[0], started.lessons[1]
    lesson_steps(tl, first, _local(today - timedelta(days=3), time(12, 21)))
    lesson_steps(tl, second, _local(today - timedelta(days=1), time(21, 14)), share=0.45)
    return tl.steps


def _watch_play(step: Step) -> None:
    """One piece of a viewing, as the player reports it (xAPI Video Profile): initialized when the viewing
    opens, played at the piece's start, paused at its end with the viewing's played segments, terminated when
    the viewing closes. The extra statements' ids derive from the step's, so the demo's random draws stay."""
    assert step.segment is not None and step.session is not None
    rep, lesson, at, sid = step.rep, step.lesson, step.at, step.statement_id
    start, stop = step.segment
    session = str(step.session)
    common = {"rep": rep, "lesson": lesson, "length": video_length(lesson), "session_id": session}
    began = at - timedelta(seconds=stop - start)
    if step.first:
        records.video_statement_record(
            **common, verb=vocab.INITIALIZED, statement_id=uuid.uuid5(sid, "initialized"), timestamp=began
        )
    records.video_statement_record(
        **common, verb=vocab.VIDEO_PLAYED, time=start, statement_id=uuid.uuid5(sid, "played"), timestamp=began
    )
    watched = f"{step.view_start:g}[.]{stop:g}"
    records.video_statement_record(
        **common,
        verb=vocab.VIDEO_PAUSED,
        time=stop,
        segments=watched,
        seconds=step.seconds,
        statement_id=sid,
        timestamp=at,
    )
    if step.last:
        records.video_statement_record(
            **common,
            verb=vocab.TERMINATED,
            time=stop,
            segments=watched,
            seconds=0,
            statement_id=uuid.uuid5(sid, "terminated"),
            timestamp=at + timedelta(seconds=1),
        )


def steps_play(steps: Iterable[Step], *, progress: Progress = QUIET) -> int:
    """Record every step through the records services, in time order; return how many steps were played.

    The openings and reading-time reports between two other steps are stored together, in their order, through
    the batch path (`records.batch.statements_record_many`, the same projections as one by one in a few queries):
    the seed's history is mostly those, one statement each.
    """
    count = 0
    pending: list[Any] = []  # openings and time reports not stored yet, in time order
    ordered = sorted(steps, key=lambda s: s.at)
    for step in progress.track(ordered, description=gettext("Recording five weeks of learning")):
        rep, lesson, at, sid = step.rep, step.lesson, step.at, step.statement_id
        if step.action == LAUNCH:
            pending.append(batch.launch_statement(rep=rep, lesson=lesson, statement_id=sid, timestamp=at))
        elif step.action == READ:
            pending.append(
                time_reports.lesson_time_statement(
                    rep=rep, lesson=lesson, seconds=step.seconds, statement_id=sid, timestamp=at
                )
            )
        else:
            batch.statements_record_many(pending)  # what happened before this step is stored first
            pending = []
            if step.action == WATCH:
                _watch_play(step)
            elif step.action == COMPLETE:
                records.lesson_complete(rep=rep, lesson=lesson, statement_id=sid, timestamp=at)
        count += 1
    batch.statements_record_many(pending)
    return count
