"""Reads for the progress dashboards: who has which course to do, and how far they are.

Every selector here runs a fixed number of queries whatever the number of reps
or courses: the reps, the partners' assignments and the reps' course progress
are each read in one query, and assignments are resolved to reps in one pass
in Python (partner-wide, through the rep's team, or to the rep alone).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property, partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.selectors import assignments_for_rep, course_latest, partner_assignments, published_lesson_rows
from kizuna.orgs.models import Organization, Team
from kizuna.orgs.selectors import active_reps
from kizuna.records.selectors import (
    course_progress_rows,
    courses_finished,
    last_activity_per_partner,
    learning_activity_per_partner,
    rep_course_progress_rows,
    rep_lesson_progress_rows,
)

if TYPE_CHECKING:
    from kizuna.accounts.models import User
else:
    User = get_user_model()

ACTIVE_DAYS = 7
LEARNING_TIME_DAYS = 30


class ProgressStatus:
    COMPLETED = "completed"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"

    LABELS = {
        COMPLETED: _("Finished"),
        OVERDUE: _("Overdue"),
        IN_PROGRESS: _("In progress"),
        NOT_STARTED: _("Not started"),
    }

    # A lesson is done (完了); a course is finished (修了).
    LESSON_LABELS = {
        COMPLETED: _("Done"),
        IN_PROGRESS: _("In progress"),
        NOT_STARTED: _("Not started"),
    }


def status_label(status: str) -> str:
    return str(ProgressStatus.LABELS[status])


# --- What the selectors return -----------------------------------------------------------------


@dataclass(slots=True)
class ProgressRow:
    """One rep × one course assigned to them."""

    rep_id: int
    rep_name: str
    rep_email: str
    team_id: int | None
    team_name: str
    course_id: int
    course_title: str
    required: bool
    due_at: datetime | None
    status: str
    percent: int
    completed_at: datetime | None
    last_activity_at: datetime | None
    time_spent_minutes: int

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass(frozen=True)
class CourseColumn:
    id: int
    title: str


@dataclass
class RepProgress:
    """One rep's line of the matrix: a cell per course column (None where nothing is assigned)."""

    rep_id: int
    name: str
    email: str
    team_name: str
    # The cells are made when drawn: the counts below cover every rep (the summary and the sort need them),
    # while a page of the dashboard draws 50 reps of a 500-rep partner.
    cells_of: Callable[[], list[ProgressRow | None]] = field(repr=False, compare=False)
    last_activity_at: datetime | None = None
    time_spent_minutes: int = 0
    assigned: int = 0
    completed: int = 0
    overdue: int = 0

    @cached_property
    def cells(self) -> list[ProgressRow | None]:
        return self.cells_of()

    @property
    def rows(self) -> list[ProgressRow]:
        return [cell for cell in self.cells if cell is not None]


@dataclass
class ProgressMatrix:
    courses: list[CourseColumn]
    reps: list[RepProgress]

    @property
    def rows(self) -> list[ProgressRow]:
        return [row for rep in self.reps for row in rep.rows]


@dataclass
class PartnerSummary:
    partner: Organization
    reps: int = 0
    active_reps_7d: int = 0
    required_count: int = 0
    required_completed: int = 0
    overdue: int = 0
    learning_seconds_30d: float = 0.0
    last_activity_at: datetime | None = None

    @property
    def completion_rate(self) -> float | None:
        """Completed share of required rep × course pairs, or None when nothing is required."""
        if not self.required_count:
            return None
        return self.required_completed / self.required_count

    @property
    def completion_percent(self) -> int | None:
        rate = self.completion_rate
        return None if rate is None else round(100 * rate)

    @property
    def avg_minutes_per_rep(self) -> int:
        if not self.reps:
            return 0
        return round(self.learning_seconds_30d / 60 / self.reps)


@dataclass
class PartnerDashboard:
    summary: PartnerSummary
    matrix: ProgressMatrix


@dataclass(frozen=True)
class LessonLine:
    id: int
    title: str
    kind: str
    module_title: str
    status: str
    percent: int
    completed_at: datetime | None
    last_activity_at: datetime | None
    time_spent_minutes: int

    @property
    def status_label(self) -> str:
        return str(ProgressStatus.LESSON_LABELS[self.status])


@dataclass
class RepCourse:
    course_id: int
    title: str
    assigned: bool
    required: bool
    due_at: datetime | None
    status: str
    percent: int
    completed_at: datetime | None
    last_activity_at: datetime | None
    time_spent_minutes: int
    lessons: list[LessonLine] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def lessons_completed(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.status == ProgressStatus.COMPLETED)


# --- Assignment resolution ---------------------------------------------------------------------


Target = tuple[bool, datetime | None]  # (required, due_at)


def _rank(target: Target) -> tuple[int, int, float]:
    required, due_at = target
    return (0 if required else 1, 0 if due_at else 1, due_at.timestamp() if due_at else 0.0)


def resolve_targets(assignments: Iterable[tuple[int, bool, datetime | None]]) -> dict[int, Target]:
    """Merge the assignments reaching one rep into one per course: required beats optional, then the earliest due."""
    best: dict[int, Target] = {}
    for course_id, required, due_at in assignments:
        target = (required, due_at)
        current = best.get(course_id)
        if current is None or _rank(target) < _rank(current):
            best[course_id] = target
    return best


def row_status(*, required: bool, due_at: datetime | None, progress: "_Progress | None", now: datetime) -> str:
    if progress is not None and progress.completed_at is not None:
        return ProgressStatus.COMPLETED
    if required and due_at is not None and due_at < now:
        return ProgressStatus.OVERDUE
    if progress is not None:
        return ProgressStatus.IN_PROGRESS
    return ProgressStatus.NOT_STARTED


# --- One read of everything a dashboard needs ------------------------------------------------------


@dataclass(slots=True)
class _Rep:
    id: int
    name: str
    email: str
    partner_id: int
    team_id: int | None
    team_name: str


@dataclass(slots=True)
class _Progress:
    completed_at: datetime | None
    last_activity_at: datetime
    lessons_completed: int
    lessons_total: int
    time_spent_seconds: float

    @property
    def percent(self) -> int:
        if self.completed_at is not None:
            return 100
        if not self.lessons_total:
            return 0
        return min(100, round(100 * self.lessons_completed / self.lessons_total))


def _minutes(seconds: float) -> int:
    return round(seconds / 60)


def _reps_queryset(partner_ids: Sequence[int], team_id: int | None) -> QuerySet[User]:
    reps = active_reps(partner_ids=partner_ids)
    if team_id is not None:
        reps = reps.filter(membership__team_id=team_id)
    return reps


class _Snapshot:
    """The reps of some partners, their assignments and their course progress, each read in one query.

    With ``detail`` every progress row of the reps is loaded (one partner's matrix); without it only
    which required courses are finished, and the last activity is aggregated in the database
    (the principal's comparison of every partner).
    """

    def __init__(self, *, partner_ids: Sequence[int], team_id: int | None, now: datetime, detail: bool = True) -> None:
        self.now = now
        self.partner_ids = list(partner_ids)
        self._targets: dict[int, dict[int, Target]] = {}
        self.reps_qs = _reps_queryset(self.partner_ids, team_id)
        self.reps = [
            _Rep(id=pk, name=name, email=email, partner_id=partner_id, team_id=t_id, team_name=t_name or "")
            for pk, name, email, partner_id, t_id, t_name in self.reps_qs.order_by("name", "pk").values_list(
                "pk", "name", "email", "membership__organization_id", "membership__team_id", "membership__team__name"
            )
        ]
        self.assignments = partner_assignments(partner_ids=self.partner_ids)
        self.course_titles: dict[int, str] = {a.course_id: a.title for a in self.assignments.all()}
        self.detail = detail
        self.progress: dict[tuple[int, int], _Progress] = {}
        if detail:
            self.progress = {
                (user_id, course_id): _Progress(*values)  # type: ignore[arg-type]  # the row's columns, in order
                for user_id, course_id, *values in course_progress_rows(users=self.reps_qs.values("pk"))
            }
            self.completed = {key for key, p in self.progress.items() if p.completed_at is not None}
        else:
            self.completed = courses_finished(users=self.reps_qs.values("pk"))

    def targets(self, rep: _Rep) -> dict[int, Target]:
        if rep.id not in self._targets:
            reaching = self.assignments.reaching(partner_id=rep.partner_id, team_id=rep.team_id, rep_id=rep.id)
            self._targets[rep.id] = resolve_targets((a.course_id, a.required, a.due_at) for a in reaching)
        return self._targets[rep.id]

    def activity(self) -> dict[int, tuple[int, float]]:
        """Return {partner id: (reps active in the last 7 days, learning seconds in the last 30 days)}.

        Read from the per-day learning projection, so the cost follows reps × days, not statements.
        """
        today = timezone.localdate(self.now, timezone=ZoneInfo(settings.TIME_ZONE))
        return learning_activity_per_partner(
            partner_ids=self.partner_ids,
            users=self.reps_qs.values("pk"),
            since=today - timedelta(days=LEARNING_TIME_DAYS),
            active_since=today - timedelta(days=ACTIVE_DAYS),
            until=today,
        )

    def last_activity(self, partner_of_rep: dict[int, int]) -> dict[int, datetime]:
        """Return {partner id: the reps' latest activity in any course}."""
        if not self.detail:
            return last_activity_per_partner(users=self.reps_qs.values("pk"))
        latest: dict[int, datetime] = {}
        for (user_id, _course_id), progress in self.progress.items():
            partner_id = partner_of_rep[user_id]
            if partner_id not in latest or progress.last_activity_at > latest[partner_id]:
                latest[partner_id] = progress.last_activity_at
        return latest

    def summaries(self, partners: Sequence[Organization]) -> list[PartnerSummary]:
        by_partner = {p.pk: PartnerSummary(partner=p) for p in partners}
        partner_of_rep: dict[int, int] = {}
        for rep in self.reps:
            summary = by_partner[rep.partner_id]
            partner_of_rep[rep.id] = rep.partner_id
            summary.reps += 1
            for course_id, (required, due_at) in self.targets(rep).items():
                if not required:
                    continue
                summary.required_count += 1
                if (rep.id, course_id) in self.completed:
                    summary.required_completed += 1
                elif due_at is not None and due_at < self.now:
                    summary.overdue += 1
        for partner_id, last in self.last_activity(partner_of_rep).items():
            by_partner[partner_id].last_activity_at = last
        for partner_id, (active, seconds) in self.activity().items():
            if partner_id in by_partner:
                by_partner[partner_id].active_reps_7d = active
                by_partner[partner_id].learning_seconds_30d = seconds
        return [by_partner[p.pk] for p in partners]

    def matrix(self) -> ProgressMatrix:
        per_rep = [(rep, self.targets(rep)) for rep in self.reps]
        course_ids = {course_id for _rep, targets in per_rep for course_id in targets}
        courses = sorted(
            (CourseColumn(id=cid, title=self.course_titles[cid]) for cid in course_ids), key=lambda c: (c.title, c.id)
        )
        lines = []
        for rep, targets in per_rep:
            line = RepProgress(
                rep_id=rep.id,
                name=rep.name,
                email=rep.email,
                team_name=rep.team_name,
                cells_of=partial(self._cells, rep, targets, courses),
            )
            for course_id, (required, due_at) in targets.items():
                progress = self.progress.get((rep.id, course_id))
                status = row_status(required=required, due_at=due_at, progress=progress, now=self.now)
                line.assigned += 1
                line.completed += status == ProgressStatus.COMPLETED
                line.overdue += status == ProgressStatus.OVERDUE
            lines.append(line)
        # Activity and time over every course the rep touched, assigned or not: one pass over the progress.
        index = {line.rep_id: line for line in lines}
        seconds: dict[int, float] = {}
        for (user_id, _course_id), progress in self.progress.items():
            rep_line = index.get(user_id)
            if rep_line is None:
                continue
            seconds[user_id] = seconds.get(user_id, 0.0) + progress.time_spent_seconds
            if rep_line.last_activity_at is None or progress.last_activity_at > rep_line.last_activity_at:
                rep_line.last_activity_at = progress.last_activity_at
        for user_id, total in seconds.items():
            index[user_id].time_spent_minutes = _minutes(total)
        return ProgressMatrix(courses=courses, reps=lines)

    def _cells(self, rep: _Rep, targets: dict[int, Target], courses: list[CourseColumn]) -> list[ProgressRow | None]:
        return [self._row(rep, course, targets[course.id]) if course.id in targets else None for course in courses]

    def _row(self, rep: _Rep, course: CourseColumn, target: Target) -> ProgressRow:
        required, due_at = target
        progress = self.progress.get((rep.id, course.id))
        return ProgressRow(
            rep_id=rep.id,
            rep_name=rep.name,
            rep_email=rep.email,
            team_id=rep.team_id,
            team_name=rep.team_name,
            course_id=course.id,
            course_title=course.title,
            required=required,
            due_at=due_at,
            status=row_status(required=required, due_at=due_at, progress=progress, now=self.now),
            percent=progress.percent if progress else 0,
            completed_at=progress.completed_at if progress else None,
            last_activity_at=progress.last_activity_at if progress else None,
            time_spent_minutes=_minutes(progress.time_spent_seconds) if progress else 0,
        )


# --- Public selectors --------------------------------------------------------------------------


SORTS = ("name", "overdue", "last_activity")


def _sorted(reps: list[RepProgress], sort: str) -> list[RepProgress]:
    if sort == "overdue":
        return sorted(reps, key=lambda r: (-r.overdue, r.name, r.rep_id))
    if sort == "last_activity":
        # Longest inactive first (never active at the very top): whom to follow up with.
        return sorted(reps, key=lambda r: (r.last_activity_at is not None, r.last_activity_at or 0, r.rep_id))
    return reps  # already by name


def partner_progress_rows(
    *, partner: Organization, team: Team | None = None, now: datetime | None = None
) -> list[ProgressRow]:
    """Return one row per active rep × course assigned to them, by rep name then course title (3 queries)."""
    snapshot = _Snapshot(partner_ids=[partner.pk], team_id=team.pk if team else None, now=now or timezone.now())
    return snapshot.matrix().rows


def partner_summary(*, partner: Organization, team: Team | None = None, now: datetime | None = None) -> PartnerSummary:
    """Return the headline figures of one partner, optionally one team (5 queries)."""
    snapshot = _Snapshot(
        partner_ids=[partner.pk], team_id=team.pk if team else None, now=now or timezone.now(), detail=False
    )
    return snapshot.summaries([partner])[0]


def partner_dashboard(
    *, partner: Organization, team: Team | None = None, now: datetime | None = None, sort: str = "name"
) -> PartnerDashboard:
    """Return the summary and the matrix of one partner from one read (4 queries)."""
    snapshot = _Snapshot(partner_ids=[partner.pk], team_id=team.pk if team else None, now=now or timezone.now())
    matrix = snapshot.matrix()
    matrix.reps = _sorted(matrix.reps, sort)
    return PartnerDashboard(summary=snapshot.summaries([partner])[0], matrix=matrix)


def partners_comparison(*, partners: Iterable[Organization], now: datetime | None = None) -> list[PartnerSummary]:
    """Return every partner's summary side by side, in the order given (5 queries, whatever the number of partners)."""
    partners = list(partners)
    if not partners:
        return []
    snapshot = _Snapshot(partner_ids=[p.pk for p in partners], team_id=None, now=now or timezone.now(), detail=False)
    return snapshot.summaries(partners)


def rep_progress(*, rep: User, now: datetime | None = None) -> list[RepCourse]:
    """Return one rep's assigned and started courses with lesson-level detail (5 queries)."""
    now = now or timezone.now()
    targets = resolve_targets(assignments_for_rep(rep).order_by().values_list("course_id", "required", "due_at"))
    progress = {
        course_id: (version_id, version_title, _Progress(*values))
        for course_id, version_id, version_title, *values in rep_course_progress_rows(rep=rep)
    }
    course_ids = set(targets) | set(progress)
    courses = course_latest(course_ids=course_ids)
    version_of = {cid: (progress[cid][0] if cid in progress else courses[cid][0]) for cid in courses}
    lessons_by_version: dict[int, list[tuple[int, str, str, str]]] = {}
    for pk, lesson_version_id, title, kind, module_title in published_lesson_rows(
        version_ids=[v for v in version_of.values() if v is not None]
    ):
        lessons_by_version.setdefault(lesson_version_id, []).append((pk, title, kind, module_title))
    lesson_progress = {
        lesson_id: values for lesson_id, *values in rep_lesson_progress_rows(rep=rep, course_ids=course_ids)
    }
    result = []
    for course_id, (_latest_id, latest_title) in courses.items():
        required, due_at = targets.get(course_id, (False, None))
        version_id, version_title, cp = progress.get(course_id, (None, None, None))
        lines = []
        for pk, title, kind, module_title in lessons_by_version.get(version_of[course_id] or 0, []):
            lp = lesson_progress.get(pk)
            if lp is None:
                status, percent = ProgressStatus.NOT_STARTED, 0
            elif lp[0] is not None:
                status, percent = ProgressStatus.COMPLETED, 100
            else:
                status, percent = ProgressStatus.IN_PROGRESS, round(100 * (lp[3] or 0))
            lines.append(
                LessonLine(
                    id=pk,
                    title=title,
                    kind=kind,
                    module_title=module_title,
                    status=status,
                    percent=percent,
                    completed_at=lp[0] if lp else None,
                    last_activity_at=lp[1] if lp else None,
                    time_spent_minutes=_minutes(lp[2]) if lp else 0,
                )
            )
        result.append(
            RepCourse(
                course_id=course_id,
                title=version_title or latest_title,
                assigned=course_id in targets,
                required=required,
                due_at=due_at,
                status=row_status(required=required, due_at=due_at, progress=cp, now=now),
                percent=cp.percent if cp else 0,
                completed_at=cp.completed_at if cp else None,
                last_activity_at=cp.last_activity_at if cp else None,
                time_spent_minutes=_minutes(cp.time_spent_seconds) if cp else 0,
                lessons=lines,
            )
        )
    far = datetime.max.replace(tzinfo=UTC)
    result.sort(key=lambda c: (not c.assigned, not c.required, c.due_at or far, c.title, c.course_id))
    return result
