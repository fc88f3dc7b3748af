"""Shared pieces of the data generator: sizes, time in integer microseconds, and what the simulation knows."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent.parent
TARGET_PARTNER_SLUG = "bench-p01"  # the partner with exactly `target_partner_reps` reps
PASSWORD = "kizuna-demo"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SECOND = 1_000_000  # timestamps are kept as integer microseconds since the epoch
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@dataclass(frozen=True)
class Size:
    partners: int
    reps: int
    target_partner_reps: int
    team_size: int
    courses: int
    video_courses: int
    statements: int
    days: int
    courses_per_partner: int


PRESETS = {
    "full": Size(20, 10_000, 500, 25, 200, 8, 2_000_000, 90, 15),
    # The same content and assignments with a hundredth of the people and statements:
    # hot pages must issue the same number of queries on both.
    "small": Size(3, 75, 25, 25, 200, 8, 20_000, 90, 15),
    # For a quick run of the whole harness.
    "tiny": Size(2, 50, 25, 25, 30, 2, 5_000, 30, 10),
}

_started = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _started:7.1f}s] {message}", flush=True)


def to_dt(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def to_us(dt: datetime) -> int:
    delta = dt - EPOCH
    return (delta.days * 86400 + delta.seconds) * SECOND + delta.microseconds


def local_midnight(us: int, tz: ZoneInfo) -> int:
    day = to_dt(us).astimezone(tz).date()
    return to_us(datetime(day.year, day.month, day.day, tzinfo=tz))


# --- The world: what the simulation needs to know about people and content ----------------------


@dataclass(eq=False)
class LessonInfo:
    id: int
    course_id: int
    version_id: int
    kind: str
    estimated_minutes: int
    video_length: float
    # object_iri, object_type, object_name (JSON), course_id, course_version_id, lesson_id
    base: tuple[Any, ...] = ()
    parents: tuple[str, ...] = ()


@dataclass(eq=False)
class CourseInfo:
    id: int
    version_id: int
    lesson_count: int
    lessons: list[LessonInfo]
    base: tuple[Any, ...] = ()


@dataclass(eq=False)
class Planned:
    """One course as one rep will meet it: when it becomes available and how urgent it is."""

    course: CourseInfo
    available_us: int
    priority: tuple[int, int]
    required: bool


class LessonState:
    __slots__ = ("started", "last", "completed", "position", "segments", "progress", "time")

    def __init__(self, ts: int) -> None:
        self.started = ts
        self.last = ts
        self.completed: int | None = None
        self.position = 0.0
        self.segments: list[list[float]] = []
        self.progress = 0.0
        self.time = 0.0


class CourseState:
    __slots__ = (
        "version_id",
        "partner_id",
        "started",
        "last",
        "completed",
        "done",
        "total",
        "time",
        "last_lesson",
        "lessons",
    )

    def __init__(self, ts: int, version_id: int, partner_id: int, total: int) -> None:
        self.version_id = version_id
        self.partner_id = partner_id
        self.started = ts
        self.last = ts
        self.completed: int | None = None
        self.done = 0
        self.total = total
        self.time = 0.0
        self.last_lesson: int | None = None
        self.lessons: dict[int, LessonState] = {}


@dataclass(eq=False)
class Rep:
    user_id: int
    partner_id: int
    team_id: int
    language: str
    weight: float
    joined_us: int
    plan: list[Planned] = field(default_factory=list)
    courses: dict[int, CourseState] = field(default_factory=dict)
    free_from_us: int = 0
