"""Projections: the progress tables derived from statements.

Each projector is a pure function from (current row or None, statement) to the
new row, so the live path (one statement, rows from the database) and the
rebuild (every statement in order, rows in memory) share one set of rules.

Rules for time spent: every statement may carry ``result.duration`` — the
active time the player or page measured since its previous report (a hidden
tab or an idle page does not count on the client side). One statement never
counts more than MAX_COUNTED_SECONDS, so a stuck tab cannot inflate the total.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction

from . import vocab
from .models import CourseProgress, LearningDay, LessonProgress, Statement
from .segments import covered_seconds, merge_segments, parse_segments

MAX_COUNTED_SECONDS = 120.0


def counted_seconds(st: Statement) -> float:
    return min(max(st.duration_seconds or 0.0, 0.0), MAX_COUNTED_SECONDS)


def is_learner_event(st: Statement) -> bool:
    return vocab.is_learning_verb(st.verb)


def project_lesson(lp: LessonProgress | None, st: Statement) -> tuple[LessonProgress, bool]:
    """Apply a lesson statement; return the row and whether the lesson just became complete."""
    if lp is None:
        lp = LessonProgress(
            user_id=st.actor_id,
            lesson_id=st.lesson_id,
            course_id=st.course_id,
            started_at=st.timestamp,
            last_activity_at=st.timestamp,
            played_segments=[],
        )
    lp.started_at = min(lp.started_at, st.timestamp)
    lp.last_activity_at = max(lp.last_activity_at, st.timestamp)
    lp.time_spent_seconds += counted_seconds(st)
    ext = (st.result or {}).get("extensions", {}) if st.result else {}
    if st.verb == vocab.PROGRESSED.iri and vocab.EXT_PLAYED_SEGMENTS in ext:
        length = float(ext.get(vocab.EXT_LENGTH) or 0)
        segments = merge_segments(
            [tuple(s) for s in lp.played_segments] + parse_segments(ext[vocab.EXT_PLAYED_SEGMENTS])
        )
        lp.played_segments = [[round(s, 3), round(e, 3)] for s, e in segments]
        if length > 0:
            lp.progress = round(min(1.0, covered_seconds(segments, length=length) / length), 4)
        if vocab.EXT_TIME in ext:
            lp.position_seconds = float(ext[vocab.EXT_TIME])
    newly_completed = False
    if st.verb == vocab.COMPLETED.iri and lp.completed_at is None:
        lp.completed_at = st.timestamp
        newly_completed = True
        if not lp.played_segments:
            lp.progress = 1.0
    return lp, newly_completed


def statement_day(st: Statement) -> date:
    """The calendar day a statement belongs to, in the deployment's time zone (not the viewer's)."""
    return st.timestamp.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def project_day(row: LearningDay | None, st: Statement) -> LearningDay:
    if row is None:
        row = LearningDay(user_id=st.actor_id, partner_id=st.partner_id, day=statement_day(st))
    row.seconds += counted_seconds(st)
    row.statements += 1
    return row


def project_course(
    cp: CourseProgress | None, st: Statement, *, lessons_total: int, lesson_newly_completed: bool
) -> CourseProgress:
    if cp is None:
        cp = CourseProgress(
            user_id=st.actor_id,
            course_id=st.course_id,
            version_id=st.course_version_id,
            partner_id=st.partner_id,
            started_at=st.timestamp,
            last_activity_at=st.timestamp,
            lessons_total=lessons_total,
        )
    cp.started_at = min(cp.started_at, st.timestamp)
    cp.last_activity_at = max(cp.last_activity_at, st.timestamp)
    cp.time_spent_seconds += counted_seconds(st)
    if st.lesson_id is not None:
        cp.last_lesson_id = st.lesson_id
        # Lessons of another version count toward time spent, not toward the pinned version's completion.
        if lesson_newly_completed and st.course_version_id == cp.version_id:
            cp.lessons_completed += 1
    elif st.verb == vocab.COMPLETED.iri and cp.completed_at is None:
        cp.completed_at = st.timestamp
    return cp


# The columns of each projection row, for code that compares or loads them (the rebuild test, the benchmark).
LESSON_PROGRESS_FIELDS = (
    "user_id",
    "lesson_id",
    "course_id",
    "started_at",
    "last_activity_at",
    "completed_at",
    "position_seconds",
    "played_segments",
    "progress",
    "time_spent_seconds",
)
LEARNING_DAY_FIELDS = ("user_id", "partner_id", "day", "seconds", "statements")
COURSE_PROGRESS_FIELDS = (
    "user_id",
    "course_id",
    "version_id",
    "partner_id",
    "started_at",
    "last_activity_at",
    "completed_at",
    "lessons_completed",
    "lessons_total",
    "time_spent_seconds",
    "last_lesson_id",
)


@dataclass
class Replay:
    """Projection rows derived in memory, keyed by (user, lesson) and (user, course)."""

    lessons: dict[tuple[int, int], LessonProgress] = field(default_factory=dict)
    courses: dict[tuple[int, int], CourseProgress] = field(default_factory=dict)
    days: dict[tuple[int, date], LearningDay] = field(default_factory=dict)
    lesson_counts: dict[int, int] = field(default_factory=dict)


def _lessons_total(version_id: int | None, cache: dict[int, int]) -> int:
    from kizuna.catalog.selectors import version_lesson_count

    if version_id is None:
        return 0
    if version_id not in cache:
        cache[version_id] = version_lesson_count(version_id=version_id)
    return cache[version_id]


def _locked(model: Any, **keys: Any) -> Any:
    return model.objects.select_for_update(no_key=True).filter(**keys).first()


def _first_row_saved(row: Any) -> bool:
    """Insert a projection's first row for a key; False when a concurrent request inserted it first.

    Two requests of one person (the player's progress and the "complete" tap) can both find no row;
    the unique constraint stops the second insert, which then applies its statement to the first's row.
    """
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def apply_statement(st: Statement) -> None:
    """Apply one newly stored statement to the projections in the database."""
    if not is_learner_event(st):
        return
    day_keys = {"user_id": st.actor_id, "day": statement_day(st)}
    day = _locked(LearningDay, **day_keys)
    if day is not None or not _first_row_saved(project_day(None, st)):
        project_day(day or _locked(LearningDay, **day_keys), st).save()
    if st.course_id is None:
        return
    newly_completed = False
    if st.lesson_id is not None:
        lesson_keys = {"user_id": st.actor_id, "lesson_id": st.lesson_id}
        lp = _locked(LessonProgress, **lesson_keys)
        if lp is None:
            row, newly_completed = project_lesson(None, st)
            if not _first_row_saved(row):
                lp = _locked(LessonProgress, **lesson_keys)
        if lp is not None:
            lp, newly_completed = project_lesson(lp, st)
            lp.save()
    course_keys = {"user_id": st.actor_id, "course_id": st.course_id}
    cp = _locked(CourseProgress, **course_keys)
    if cp is None:
        # The lesson count is only read for a course's first statement.
        first = project_course(
            None, st, lessons_total=_lessons_total(st.course_version_id, {}), lesson_newly_completed=newly_completed
        )
        if _first_row_saved(first):
            return
        cp = _locked(CourseProgress, **course_keys)
    project_course(cp, st, lessons_total=0, lesson_newly_completed=newly_completed).save()


def replay(statements: Iterable[Statement], into: Replay | None = None) -> Replay:
    """Derive the projection rows of the statements (in stored order) in memory, writing nothing."""
    memory = into or Replay()
    for st in statements:
        if not is_learner_event(st):
            continue
        dkey = (st.actor_id, statement_day(st))
        memory.days[dkey] = project_day(memory.days.get(dkey), st)
        if st.course_id is None:
            continue
        newly_completed = False
        if st.lesson_id is not None:
            key = (st.actor_id, st.lesson_id)
            memory.lessons[key], newly_completed = project_lesson(memory.lessons.get(key), st)
        ckey = (st.actor_id, st.course_id)
        memory.courses[ckey] = project_course(
            memory.courses.get(ckey),
            st,
            lessons_total=_lessons_total(st.course_version_id, memory.lesson_counts),
            lesson_newly_completed=newly_completed,
        )
    return memory


@dataclass(frozen=True)
class AppProjection:
    """Another app's projection of statements (quiz attempts, scenario paths…), kept live and rebuildable.

    ``apply`` gets each newly stored statement inside the transaction that stores it; ``rebuild`` throws the
    app's rows away and derives them again from ``statements_in_order()``, returning how many rows it made.
    Both must follow the same rules, and the app's tests prove rebuild == live like records' own.
    """

    name: str
    apply: Callable[[Statement], None]
    rebuild: Callable[[], int]


_APP_PROJECTIONS: dict[str, AppProjection] = {}


def register(projection: AppProjection) -> None:
    """Register an app's projection (call it from the app's AppConfig.ready())."""
    _APP_PROJECTIONS[projection.name] = projection


def apply_all(st: Statement) -> None:
    """Apply one newly stored statement to every projection."""
    apply_statement(st)
    for projection in _APP_PROJECTIONS.values():
        projection.apply(st)


def statements_in_order(*, verbs: Iterable[str] | None = None, object_type: str | None = None) -> Iterable[Statement]:
    """Every stored statement (optionally of some verb IRIs or one activity type) in stored order, streamed."""
    statements = Statement.objects.order_by("seq")
    if verbs is not None:
        statements = statements.filter(verb__in=list(verbs))
    if object_type is not None:
        statements = statements.filter(object_type=object_type)
    return statements.iterator(chunk_size=5000)


def rebuild_everything() -> dict[str, int]:
    """Rebuild records' projections and every registered app's."""
    counts = rebuild_all()
    for projection in _APP_PROJECTIONS.values():
        with transaction.atomic():
            counts[projection.name] = projection.rebuild()
    return counts


def rebuild_all(*, batch_size: int = 5000) -> dict[str, int]:
    """Throw the projections away and derive them again from every statement, in stored order."""
    with transaction.atomic():
        LessonProgress.objects.all().delete()
        CourseProgress.objects.all().delete()
        LearningDay.objects.all().delete()
        statements = Statement.objects.order_by("seq").only(
            "seq",
            "actor_id",
            "partner_id",
            "verb",
            "course_id",
            "course_version_id",
            "lesson_id",
            "result",
            "duration_seconds",
            "timestamp",
        )
        memory = replay(statements.iterator(chunk_size=batch_size))
        LessonProgress.objects.bulk_create(memory.lessons.values(), batch_size=batch_size)
        CourseProgress.objects.bulk_create(memory.courses.values(), batch_size=batch_size)
        LearningDay.objects.bulk_create(memory.days.values(), batch_size=batch_size)
    return {
        "lesson_progress": len(memory.lessons),
        "course_progress": len(memory.courses),
        "learning_days": len(memory.days),
    }
