"""Projections: the progress tables derived from statements.

Each projector is a pure function from (current row or None, statement) to the
new row, so the live path (one statement, rows from the database) and the
rebuild (every statement in order, rows in memory) share one set of rules.

Rules for time spent: every statement may carry ``result.duration`` — the
active time the player or page measured since its previous report (a hidden
tab or an idle page does not count on the client side). One statement never
counts more than MAX_COUNTED_SECONDS, so a stuck tab cannot inflate the total (a video player's report,
the time played since its previous statement, up to MAX_VIDEO_REPORT_SECONDS: the video's end stops it).
"""

import fcntl
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, DateTimeField, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext as _

from kizuna.ops.progress import QUIET, Progress
from kizuna.ops.repcache import content_changed

from . import vocab
from .content import content_source
from .models import CourseProgress, LearningDay, LessonProgress, PendingStatement, Statement
from .partitions import statement_ranges
from .segments import covered_seconds, merge_segments, parse_segments

MAX_COUNTED_SECONDS = 120.0
# A video player's report (Video Profile: paused, seeked, terminated) carries the time played since its previous
# statement, counted only while the video plays in a visible tab: the video's end stops it, so no stuck tab can
# inflate it, and the server refuses more than the whole video at a quarter of its speed (at most an hour).
MAX_VIDEO_REPORT_SECONDS = 3600.0
_VIDEO_REPORTS = frozenset(t.iri for t in (vocab.VIDEO_PAUSED, vocab.VIDEO_SEEKED, vocab.TERMINATED))


def counted_cap(verb: str) -> float:
    """The most one statement with this verb counts as time spent."""
    return MAX_VIDEO_REPORT_SECONDS if verb in _VIDEO_REPORTS else MAX_COUNTED_SECONDS


def counted_seconds(st: Statement) -> float:
    return min(max(st.duration_seconds or 0.0, 0.0), counted_cap(st.verb))


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
    ext = (st.result or {}).get("extensions") or {}
    # Played segments of a video report: the Video Profile's (the length in the context) or an old `progressed`
    # (the length beside them in the result); a `completed` repeats what was watched and adds nothing.
    if st.verb in vocab.VIDEO_REPORT_VERBS and vocab.EXT_PLAYED_SEGMENTS in ext:
        context_ext = (st.context or {}).get("extensions") or {}
        length = float(ext.get(vocab.EXT_LENGTH) or context_ext.get(vocab.EXT_LENGTH) or 0)
        segments = merge_segments(
            [tuple(s) for s in lp.played_segments] + parse_segments(ext[vocab.EXT_PLAYED_SEGMENTS])
        )
        lp.played_segments = [[round(s, 3), round(e, 3)] for s, e in segments]
        if length > 0:
            lp.progress = round(min(1.0, covered_seconds(segments, length=length) / length), 4)
    old_report = st.verb == vocab.PROGRESSED.iri and vocab.EXT_PLAYED_SEGMENTS in ext
    if (st.object_type == vocab.TYPE_VIDEO.iri or old_report) and st.verb != vocab.COMPLETED.iri:
        # Where to resume: the player's time (a seek's destination), from any video statement but `completed`.
        at = ext.get(vocab.EXT_TIME_TO, ext.get(vocab.EXT_TIME))
        if isinstance(at, int | float) and not isinstance(at, bool):
            lp.position_seconds = float(at)
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
    if version_id is None:
        return 0
    if version_id not in cache:
        cache[version_id] = content_source().lesson_count(version_id)
    return cache[version_id]


def _locked(model: Any, **keys: Any) -> Any:
    return model.objects.select_for_update(no_key=True).filter(**keys).first()


def lesson_progress_locked(*, user_id: int, lesson_id: int) -> LessonProgress | None:
    """Return the rep's progress row in a lesson, locked until the transaction ends (None before their first)."""
    reps_hold(user_id)
    return _locked(LessonProgress, user_id=user_id, lesson_id=lesson_id)


# Any stable 64-bit number (not the projector's nor the rebuilds'): the advisory lock that every transaction
# storing statements holds shared and a whole rebuild holds alone, on PostgreSQL.
_WRITES_KEY = 7_310_233_452_003


def reps_hold(*rep_ids: int | None) -> None:
    """Keep any rebuild of these reps out until this transaction ends (and wait for one under way to commit).

    A request that stores a statement (or changes a rep's projection rows for one: an essay's grade) calls it
    before it reads any of their rows to change them — `statement_record` and `lesson_progress_locked` do. On
    PostgreSQL it is one query, taken once per transaction: the reps' user rows FOR UPDATE (a partner's rebuild
    holds its reps' rows FOR KEY SHARE from before it reads their statements until it commits) and the writes'
    advisory lock shared (a whole rebuild holds it alone). So no statement of a rep being rebuilt is committed
    while the rebuild runs: the request waits, then applies its statement to the rebuilt rows and queues it for
    the projector, and the rebuild derives exactly the statements committed before it (docs/statements-at-scale.md).
    Plain updates of the user row (a login) do not wait for a rebuild. On SQLite nothing to do: every write
    transaction begins IMMEDIATE, and a rebuild holds the one write lock from its start to its commit.
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    scope = (connection.run_on_commit, connection.atomic_blocks[-1])
    memo = getattr(connection, "_kizuna_reps_held", None)
    # Valid while the same transaction runs (Django gives it a new hooks list at every commit or rollback, and
    # at a rollback to a savepoint, which may drop the lock) and the atomic block it was taken in has not ended
    # (so a test's one transaction pays it per service call, as each request does in its own).
    held: set[int] = set()
    if memo is not None and memo[0] is scope[0] and any(block is memo[1] for block in connection.atomic_blocks):
        held = memo[2]
    wanted = sorted({rep_id for rep_id in rep_ids if rep_id is not None} - held)
    if not wanted:
        return
    table = connection.ops.quote_name(get_user_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.id FROM {table} u, (SELECT pg_advisory_xact_lock_shared(%s)) w "  # noqa: S608 — our table
            "WHERE u.id = ANY(%s) ORDER BY u.id FOR UPDATE OF u",
            [_WRITES_KEY, wanted],
        )
        cursor.fetchall()
    if held:
        held.update(wanted)
    else:
        connection._kizuna_reps_held = (*scope, set(wanted))  # type: ignore[attr-defined]


def _rebuild_hold_reps(rep_ids: list[int]) -> None:
    """A partner's rebuild: wait for the requests under way that store these reps' statements, and keep new ones
    waiting until it commits (their user rows FOR KEY SHARE, which conflicts only with `reps_hold`'s FOR UPDATE)."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(get_user_model()._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rep_ids), REPS_PER_PASS):
            cursor.execute(
                f"SELECT id FROM {table} WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE",  # noqa: S608 — our table
                [rep_ids[start : start + REPS_PER_PASS]],
            )
            cursor.fetchall()


def _rebuild_hold_all() -> None:
    """A whole rebuild: wait for every request under way that stores statements, keep new ones waiting until it
    commits (the writes' advisory lock, alone)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITES_KEY])


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


# Passed as ``locked_progress`` when the caller has not read the lesson's progress row itself.
UNREAD: Any = object()


def apply_live(st: Statement, *, locked_progress: LessonProgress | None = UNREAD) -> None:
    """Apply a newly stored statement to the rep's own progress (lesson and course), inside its transaction.

    These are the rows the player and the rep's pages show right after the statement; everything else is
    projected by the background projector (``apply_deferred``). ``locked_progress`` is the lesson progress
    row the caller already read with a lock in this transaction (None: the rep has none yet), saving a read.
    """
    if not is_learner_event(st) or st.course_id is None:
        return
    newly_completed = False
    if st.lesson_id is not None:
        lp = locked_progress
        if lp is UNREAD:
            lp = lesson_progress_locked(user_id=st.actor_id, lesson_id=st.lesson_id)
        if lp is None:
            row, newly_completed = project_lesson(None, st)
            if not _first_row_saved(row):
                lp = lesson_progress_locked(user_id=st.actor_id, lesson_id=st.lesson_id)
        if lp is not None:
            lp, newly_completed = project_lesson(lp, st)
            lp.save()
    _course_apply(st, lesson_newly_completed=newly_completed)


def _course_apply(st: Statement, *, lesson_newly_completed: bool) -> None:
    """project_course's rules as one UPDATE of the row (no read), or the first row's insert."""
    at = Value(st.timestamp, output_field=DateTimeField())
    changes: dict[str, Any] = {
        "started_at": Least("started_at", at),
        "last_activity_at": Greatest("last_activity_at", at),
        "time_spent_seconds": F("time_spent_seconds") + counted_seconds(st),
    }
    if st.lesson_id is not None:
        changes["last_lesson_id"] = st.lesson_id
        if lesson_newly_completed:
            # Lessons of another version count toward time spent, not toward the pinned version's completion.
            changes["lessons_completed"] = F("lessons_completed") + Case(
                When(version_id=st.course_version_id, then=Value(1)), default=Value(0)
            )
    elif st.verb == vocab.COMPLETED.iri:
        changes["completed_at"] = Coalesce("completed_at", at)
    rows = CourseProgress.objects.filter(user_id=st.actor_id, course_id=st.course_id)
    if rows.update(**changes):
        return
    # The rep's first statement in this course: the lesson count is read only now.
    first = project_course(
        None,
        st,
        lessons_total=_lessons_total(st.course_version_id, {}),
        lesson_newly_completed=lesson_newly_completed,
    )
    if not _first_row_saved(first):
        rows.update(**changes)


def apply_day(st: Statement) -> None:
    """Apply a statement to the learner's day (deferred: the background projector calls it)."""
    if not is_learner_event(st):
        return
    day_keys = {"user_id": st.actor_id, "day": statement_day(st)}
    day = _locked(LearningDay, **day_keys)
    if day is not None or not _first_row_saved(project_day(None, st)):
        project_day(day or _locked(LearningDay, **day_keys), st).save()


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
    """Another app's projection of statements (quiz attempts, scenario paths…), kept up to date and rebuildable.

    ``apply`` gets each newly stored statement once, in stored order: inside the transaction that stores it
    when ``live`` (the actor reads the result at once: a quiz's attempt, a scenario's path), otherwise from the
    background projector a moment later, in a batch (``apply_batch``, when given, takes the batch at once).
    ``rebuild`` throws the app's rows away and derives them again from ``statements_in_order()``, returning
    how many rows it made. Both must follow the same rules, and the app's tests prove rebuild == live.
    """

    name: str
    apply: Callable[[Statement], None]
    rebuild: Callable[[], int]
    live: bool = False
    apply_batch: Callable[[list[Statement]], None] | None = None
    # Optional narrower rebuilds (`rebuild_projections --partner/--month`), each in bounded memory
    # (`rebuild_in_passes`): these reps' rows from all their statements; with `rebuild_partner` also the rows
    # the agency keeps for all its reps together (choice counts, item statistics, rollups), and only that
    # agency's; that month's rows from the partitions it can lie in. One of the first two serves `--partner`.
    rebuild_reps: Callable[[list[int]], int] | None = None
    rebuild_partner: Callable[[int, list[int]], int] | None = None
    rebuild_month: Callable[[date], int] | None = None


_APP_PROJECTIONS: dict[str, AppProjection] = {}


def register(projection: AppProjection) -> None:
    """Register an app's projection (call it from the app's AppConfig.ready())."""
    _APP_PROJECTIONS[projection.name] = projection


def apply_live_all(st: Statement, *, locked_progress: LessonProgress | None = UNREAD) -> None:
    """Apply a newly stored statement to every live projection, inside the transaction that stores it."""
    apply_live(st, locked_progress=locked_progress)
    for projection in _APP_PROJECTIONS.values():
        if projection.live:
            projection.apply(st)


def apply_deferred(statements: list[Statement]) -> None:
    """Apply stored statements (in stored order) to every deferred projection: the background projector's work."""
    for st in statements:
        apply_day(st)
    for projection in _APP_PROJECTIONS.values():
        if projection.live:
            continue
        if projection.apply_batch is not None:
            projection.apply_batch(statements)
        else:
            for st in statements:
                projection.apply(st)


def statements_in_order(
    *, verbs: Iterable[str] | None = None, object_type: str | None = None, actors: list[int] | None = None
) -> Iterable[Statement]:
    """Every stored statement (optionally of some verb IRIs, one activity type, some reps) in stored order, streamed."""
    statements = Statement.objects.order_by("seq")
    if actors is not None:
        statements = statements.filter(actor_id__in=actors)
    if verbs is not None:
        statements = statements.filter(verb__in=list(verbs))
    if object_type is not None:
        statements = statements.filter(object_type=object_type)
    return statements.iterator(chunk_size=5000)


# Reps derived together by a partner's rebuild: the memory held is their rows, whatever the agency's size.
REPS_PER_PASS = 5000


def rebuild_in_passes(rep_ids: list[int], derive: Callable[[list[int]], int]) -> int:
    """A partner's rebuild of one app's rows: `derive` deletes and derives a group of reps' rows and returns how
    many it made; it is called on groups of at most REPS_PER_PASS reps. Returns the rows made in all."""
    return sum(derive(rep_ids[start : start + REPS_PER_PASS]) for start in range(0, len(rep_ids), REPS_PER_PASS))


# Any stable 64-bit number (not the projector's): the key of the rebuilds' advisory lock on PostgreSQL.
_REBUILD_LOCK_KEY = 7_310_233_452_002


@contextmanager
def rebuild_transaction(*, progress: Progress = QUIET) -> Iterator[None]:
    """One rebuild at a time across every server, each in one transaction (`rebuild_projections` runs in it).

    On PostgreSQL a transaction-level advisory lock: a second rebuild (whole, per partner or per month, on any
    server) waits until the first has committed, then replays from the committed rows. A rebuild killed mid-way
    rolls back whole (its connection ends, and the lock with it), so the tables keep what they had and the next
    run starts from them. On SQLite (one machine) a lock on a file beside the database, so a second rebuild waits
    for the first instead of failing on the write lock's timeout.
    """
    with _sqlite_rebuild_file_lock(progress), transaction.atomic():
        if connection.vendor == "postgresql":
            from .projector import _LOCK_KEY as projector_lock_key

            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_REBUILD_LOCK_KEY])
                if not cursor.fetchone()[0]:
                    progress.log(_("Another rebuild is running: waiting for it to finish"))
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REBUILD_LOCK_KEY])
                # The background projector pauses until the rebuild commits (its batch under way ends first):
                # it never applies a statement to rows the rebuild is deriving, and what it has queued by then
                # is settled by the rebuild (`pending_settle`). On SQLite the write lock does the same.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [projector_lock_key])
        yield


def partner_rebuild_begin(partner_id: int) -> list[int]:
    """Begin a partner's rebuild (inside `rebuild_transaction`): its reps (`partner_rep_ids`), held against new
    statements until the rebuild commits (`reps_hold`), and their queued statements off the projector's queue.

    From here on no statement of these reps is committed until the rebuild is: every read of theirs in the
    rebuild sees the same statements, the ones it takes off the queue, and a request that stores one waits and
    then applies it, live and queued, on top of the rebuilt rows. Returns the reps, to rebuild exactly these.
    """
    rep_ids = partner_rep_ids(partner_id)
    _rebuild_hold_reps(rep_ids)
    pending_settle(rep_ids=rep_ids)
    return rep_ids


def pending_settle(*, rep_ids: list[int] | None = None) -> int:
    """Settle the background projector's queue before a narrow rebuild, so no statement counts twice.

    With `rep_ids` (a partner's rebuild, which derives every projection of these reps again, once they are held:
    `partner_rebuild_begin`): their queued statements come off the queue, as the full rebuild empties it. Without
    (a month's, which derives only some projections): the queue is projected now, in the rebuild's transaction,
    and the month's replay leaves out what is queued after (`not_queued`). Returns how many statements.
    """
    if rep_ids is None:
        from .projector import drain

        return drain()

    def forget(group: list[int]) -> int:
        theirs = Statement.objects.filter(actor_id__in=group).values("seq")
        return PendingStatement.objects.filter(seq__in=theirs).delete()[0]

    return rebuild_in_passes(rep_ids, forget)


@contextmanager
def _sqlite_rebuild_file_lock(progress: Progress) -> Iterator[None]:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name == ":memory:" or name.startswith("file:"):
        yield
        return
    with open(f"{name}.rebuild-lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.log(_("Another rebuild is running: waiting for it to finish"))
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def rebuild_everything(*, progress: Progress = QUIET) -> dict[str, int]:
    """Rebuild records' projections and every registered app's (exact on a quiet site: docs/statements-at-scale.md).

    Every statement stored so far is replayed, so the background projector's queue is emptied first, once
    the requests storing statements have finished and new ones wait for the rebuild to commit (on SQLite the
    rebuild's write lock keeps them out).
    """
    _rebuild_hold_all()
    PendingStatement.objects.all().delete()
    counts = rebuild_all(progress=progress)
    projections = list(_APP_PROJECTIONS.values())
    for projection in progress.track(projections, description=_("Rebuilding the apps' projections")):
        with transaction.atomic():
            counts[projection.name] = projection.rebuild()
    content_changed()  # every rep's pages
    return counts


def _narrow_rebuild(
    projection: AppProjection, *, partner_id: int | None, rep_ids: list[int], month: date | None
) -> Callable[[], int] | None:
    """The projection's rebuild for one agency (its reps) or one month, or None when it has none."""
    if month is not None:
        by_month = projection.rebuild_month
        return None if by_month is None else lambda: by_month(month)
    by_partner, by_reps = projection.rebuild_partner, projection.rebuild_reps
    if by_partner is not None and partner_id is not None:
        return lambda: by_partner(partner_id, rep_ids)
    return None if by_reps is None else lambda: by_reps(rep_ids)


def rebuild_apps_narrow(
    *,
    partner_id: int | None = None,
    rep_ids: list[int] | None = None,
    month: date | None = None,
    progress: Progress = QUIET,
) -> tuple[dict[str, int], list[str]]:
    """Rebuild the apps' projections that can be rebuilt for one agency (its reps) or one month only: (counts,
    the names of those that cannot, which only the full `rebuild_everything` derives again)."""
    counts: dict[str, int] = {}
    skipped = []
    for projection in _APP_PROJECTIONS.values():
        narrow = _narrow_rebuild(projection, partner_id=partner_id, rep_ids=rep_ids or [], month=month)
        if narrow is None:
            skipped.append(projection.name)
            continue
        with transaction.atomic():
            counts[projection.name] = narrow()
        progress.log(_("Rebuilt %(name)s") % {"name": projection.name})
    return counts, skipped


def partner_rep_ids(partner_id: int) -> list[int]:
    """The people a partner's rebuild rebuilds, in id order: those with statements for this agency and its reps
    now (a rep who moved in keeps rows judged under it, a certification's holding). Each is rebuilt whole, from
    all their statements whichever agency they were sent for, so their rows are the ones a full rebuild makes."""
    from kizuna.orgs.selectors import rep_user_ids

    senders = Statement.objects.filter(partner_id=partner_id).order_by().values_list("actor_id", flat=True)
    return sorted({*senders.distinct(), *rep_user_ids(partner_id=partner_id)})


# Every field the projectors read: one left out is fetched by one query per statement (object_type was).
_REPLAY_FIELDS = (
    "seq",
    "actor_id",
    "partner_id",
    "verb",
    "object_type",
    "course_id",
    "course_version_id",
    "lesson_id",
    "result",
    "context",
    "duration_seconds",
    "timestamp",
)
# A pass replays a group of reps and holds their projection rows in memory until it writes them. Their lesson and
# course rows are bounded by reps × lessons, but their learning days (one a rep and day learned) grow with the
# history; so a pass is cut at a number of reps and at a number of their statements, whatever the table's size.
ACTORS_PER_PASS = 5000
STATEMENTS_PER_PASS = 2_000_000


def _passes(weights: dict[int, int], *, actors_per_pass: int, statements_per_pass: int) -> list[list[int]]:
    """The reps (id → their statements) in id order, cut into passes of at most `actors_per_pass` reps and
    `statements_per_pass` statements (a rep with more than that alone makes a pass of their own)."""
    passes: list[list[int]] = []
    group: list[int] = []
    held = 0
    for actor in sorted(weights):
        if group and (len(group) >= actors_per_pass or held + weights[actor] > statements_per_pass):
            passes.append(group)
            group, held = [], 0
        group.append(actor)
        held += weights[actor]
    if group:
        passes.append(group)
    return passes


def _statements_stored_between(start: datetime | None, end: datetime | None) -> QuerySet[Statement]:
    """The statements stored in [start, end): on PostgreSQL one partition (the bounds prune the others)."""
    statements = Statement.objects.order_by("seq").only(*_REPLAY_FIELDS)
    if start is not None:
        statements = statements.filter(stored__gte=start)
    if end is not None:
        statements = statements.filter(stored__lt=end)
    return statements


def _replay_by_partition(actors: list[int] | None, *, batch_size: int, progress: Progress) -> Replay:
    memory = Replay()
    for start, end in statement_ranges():
        statements = _statements_stored_between(start, end)
        if actors is not None:
            statements = statements.filter(actor_id__in=actors)
        replay(statements.iterator(chunk_size=batch_size), into=memory)
        progress.log(_("Replayed the statements stored from %(start)s to %(end)s") % {"start": start, "end": end})
    return memory


def rebuild_all(
    *,
    batch_size: int = 5000,
    partner_id: int | None = None,
    rep_ids: list[int] | None = None,
    actors_per_pass: int = ACTORS_PER_PASS,
    statements_per_pass: int = STATEMENTS_PER_PASS,
    progress: Progress = QUIET,
) -> dict[str, int]:
    """Throw the projections away and derive them again from the statements, month partition by partition.

    Reps are replayed in passes of at most `actors_per_pass` reps and `statements_per_pass` of their statements
    (all of each rep's statements, every partition in stored order), so the memory held is bounded by a pass's
    rows, not by the table or the length of its history. With `partner_id`, only the reps who have statements
    for that agency are rebuilt (all their statements, whichever agency), the rest untouched; `rep_ids` are
    those reps when the caller holds them already (`partner_rebuild_begin`).
    """
    counts = {"lesson_progress": 0, "course_progress": 0, "learning_days": 0}
    with transaction.atomic():
        statements = Statement.objects.order_by()
        if partner_id is None:
            LessonProgress.objects.all().delete()
            CourseProgress.objects.all().delete()
            LearningDay.objects.all().delete()
        else:
            actors = list(rep_ids) if rep_ids is not None else partner_rep_ids(partner_id)
            statements = statements.filter(actor_id__in=actors)
            LessonProgress.objects.filter(user_id__in=actors).delete()
            CourseProgress.objects.filter(user_id__in=actors).delete()
            LearningDay.objects.filter(user_id__in=actors).delete()
        # A rep without statements has no rows to derive: deleted above, and in no pass.
        weights = dict(statements.values("actor_id").annotate(held=Count("*")).values_list("actor_id", "held"))
        passes: list[list[int] | None] = list(
            _passes(weights, actors_per_pass=actors_per_pass, statements_per_pass=statements_per_pass)
        )
        if partner_id is None and len(passes) == 1:
            passes = [None]  # everybody in one pass: no list of ids to send
        for group in progress.track(passes, description=_("Replaying the statements"), total=len(passes)):
            memory = _replay_by_partition(group, batch_size=batch_size, progress=progress)
            LessonProgress.objects.bulk_create(memory.lessons.values(), batch_size=batch_size)
            CourseProgress.objects.bulk_create(memory.courses.values(), batch_size=batch_size)
            LearningDay.objects.bulk_create(memory.days.values(), batch_size=batch_size)
            counts["lesson_progress"] += len(memory.lessons)
            counts["course_progress"] += len(memory.courses)
            counts["learning_days"] += len(memory.days)
        content_changed()
    return counts


def not_queued(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """Leave out the statements still in the projector's queue: a month's rebuild projects the queue first
    (`pending_settle`), so any queued when it reads were stored since, and the projector applies them after it
    commits. A statement and its queue row are committed together, so each read sees both or neither: counted
    by the rebuild or by the projector, exactly once, without holding back the requests that store them."""
    return statements.exclude(seq__in=PendingStatement.objects.values("seq"))


# A statement's `timestamp` (when it happened) may come before its `stored` (an offline outbox sends late) and,
# with a device's clock ahead, a little after: a month's learning days are read from a day before the month on.
CLOCK_SKEW = timedelta(days=1)


def rebuild_month(*, month: date, batch_size: int = 5000, progress: Progress = QUIET) -> dict[str, int]:
    """Derive one month's learning days again (the projection kept per day), reading the partitions from that
    month on only. Progress in lessons and courses spans months: rebuild it with `rebuild_all`."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    end = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=tz)
    days: dict[tuple[int, date], LearningDay] = {}
    with transaction.atomic():
        LearningDay.objects.filter(day__gte=start.date(), day__lt=end.date()).delete()
        for lo, hi in statement_ranges():
            if hi is not None and hi <= start - CLOCK_SKEW:
                continue
            statements = not_queued(_statements_stored_between(lo, hi)).filter(timestamp__gte=start, timestamp__lt=end)
            for st in statements.iterator(chunk_size=batch_size):
                if is_learner_event(st):
                    key = (st.actor_id, statement_day(st))
                    days[key] = project_day(days.get(key), st)
            progress.log(_("Replayed the statements stored from %(start)s to %(end)s") % {"start": lo, "end": hi})
        LearningDay.objects.bulk_create(days.values(), batch_size=batch_size)
        content_changed()
    return {"learning_days": len(days)}
