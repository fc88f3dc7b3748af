"""Reads of agreements, compliance and learning time, in a fixed number of queries per page."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone

from kizuna.catalog.selectors import AssignedCourse, partner_assignments
from kizuna.orgs.access import Role, has_role, membership_of, visible_partners
from kizuna.orgs.models import Organization
from kizuna.orgs.selectors import active_reps
from kizuna.records.selectors import courses_finished, courses_finished_per_partner, url_with_id

from .models import AgreementVersion, LearningTimeDay, LearningTimeMonth

if TYPE_CHECKING:
    from kizuna.accounts.models import User
else:
    User = get_user_model()

# Who may read compliance and learning time: the principal's admins and coaches (every agency), a manager (own).
REPORT_ROLES = (Role.ADMIN, Role.COACH, Role.MANAGER)
# Minutes are shown rounded, so a rep less than half a minute short of the minimum is shown as reaching it.
MINUTE_ROUNDING_SECONDS = 30


# --- Months ----------------------------------------------------------------------------------------


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def this_month(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now(), timezone=_tz()).replace(day=1)


def parse_month(text: str | None, *, now: datetime | None = None) -> date:
    """Return the first day of a "YYYY-MM" month; anything else (or a future month) is this month."""
    current = this_month(now)
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        value = date(year, month, 1)
    except (ValueError, TypeError):
        return current
    return value if value <= current else current


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def recent_months(now: datetime | None = None, count: int = 12) -> list[date]:
    months, current = [], this_month(now)
    for _ in range(count):
        months.append(current)
        current = (current - timedelta(days=1)).replace(day=1)
    return months


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=_tz())


# --- Agreements ------------------------------------------------------------------------------------


def versions_of(partner: Organization) -> list[AgreementVersion]:
    return list(
        AgreementVersion.objects.filter(partner=partner)
        .select_related("created_by", "accepted_by")
        .prefetch_related("courses__course")
        .order_by("-number")
    )


def partner_managers(partner: Organization) -> list[User]:
    """Return the agency's active managers: who accepts its agreement and receives its reports."""
    return list(
        User.objects.filter(membership__organization=partner, membership__role=Role.MANAGER, is_active=True).order_by(
            "pk"
        )
    )


def version_in_effect(partner: Organization | int, on: date) -> AgreementVersion | None:
    """Return the version that governs a partner on a day: the newest one effective by then."""
    partner_id = partner if isinstance(partner, int) else partner.pk
    return AgreementVersion.objects.filter(partner_id=partner_id, effective_from__lte=on).order_by("-number").first()


def _versions_by_partner(partner_ids: Iterable[int]) -> dict[int, list[AgreementVersion]]:
    found: dict[int, list[AgreementVersion]] = {}
    for version in AgreementVersion.objects.filter(partner_id__in=list(partner_ids)).order_by("number"):
        found.setdefault(version.partner_id, []).append(version)
    return found


def _in_effect(versions: list[AgreementVersion], on: date) -> AgreementVersion | None:
    current = None
    for version in versions:  # by number, which follows the effective dates
        if version.effective_from <= on:
            current = version
    return current


@dataclass
class PartnerAgreement:
    partner: Organization
    current: AgreementVersion | None
    latest: AgreementVersion | None

    @property
    def awaiting_acceptance(self) -> bool:
        return self.latest is not None and not self.latest.is_accepted


def agreements_overview(*, today: date | None = None) -> list[PartnerAgreement]:
    """Return every partner with its version in effect and its newest version (2 queries)."""
    today = today or timezone.localdate(timezone=_tz())
    partners = list(Organization.objects.filter(kind=Organization.Kind.PARTNER).order_by("name"))
    versions = _versions_by_partner(p.pk for p in partners)
    return [
        PartnerAgreement(
            partner=p,
            current=_in_effect(versions.get(p.pk, []), today),
            latest=versions[p.pk][-1] if versions.get(p.pk) else None,
        )
        for p in partners
    ]


def access_version_for_user(user: User, version_id: int) -> AgreementVersion:
    """Return an agreement version the person may read (admins: all; a manager: their agency's), or 404."""
    m = membership_of(user)
    if m is None or m.role not in (Role.ADMIN, Role.MANAGER):
        raise Http404
    try:
        return (
            AgreementVersion.objects.filter(partner__in=visible_partners(user))
            .select_related("partner", "created_by", "accepted_by")
            .get(pk=version_id)
        )
    except (AgreementVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def incentive_rules(partner: Organization) -> list[Any]:
    """Return the partner's incentive rules from the incentives app, or nothing when that app is absent."""
    try:
        from kizuna.incentives.selectors import rules_for_partner
    except ImportError:
        return []
    return list(rules_for_partner(partner))


def manager_may_export(user: User, partner: Organization) -> bool:
    """Whether the person may download the partner's reports: principal staff always, a manager per agreement."""
    m = membership_of(user)
    if m is None:
        return False
    if m.is_principal_staff:
        return True
    version = version_in_effect(partner, timezone.localdate(timezone=_tz()))
    return m.role == Role.MANAGER and (version is None or version.manager_may_export)


def report_partner_for_user(user: User, partner_id: int | None) -> Organization:
    """Return the partner whose reports the person asked for: principal staff name one, a manager gets their own."""
    if not has_role(user, *REPORT_ROLES):
        raise Http404
    partners = visible_partners(user)
    m = membership_of(user)
    if partner_id is None:
        if m is None or m.role != Role.MANAGER:
            raise Http404
        partner_id = m.organization_id
    try:
        return partners.get(pk=partner_id)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Learning time ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rep:
    id: int
    name: str
    email: str
    team_name: str
    team_id: int | None = None
    partner_id: int | None = None


def _reps_of(partner_ids: list[int], *, only: Any = None) -> list[_Rep]:
    reps = active_reps(partner_ids=partner_ids)
    if only is not None:
        reps = reps.filter(only)
    rows = reps.order_by("name", "pk").values_list(
        "pk", "name", "email", "membership__team__name", "membership__team_id", "membership__organization_id"
    )
    return [
        _Rep(id=pk, name=name, email=email, team_name=team or "", team_id=team_id, partner_id=partner_id)
        for pk, name, email, team, team_id, partner_id in rows
    ]


def partner_reps(partner: Organization) -> list[_Rep]:
    """Return the partner's active reps by name (one query)."""
    return _reps_of([partner.pk])


@dataclass
class LearningDayLine:
    day: date
    minutes: int
    work_minutes: int


@dataclass
class RepLearningTime:
    rep_id: int
    name: str
    email: str
    team_name: str
    seconds: float = 0.0
    work_seconds: float = 0.0
    active_days: int = 0
    days: list[LearningDayLine] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return round(self.seconds / 60)

    @property
    def href(self) -> str:
        return url_with_id("agreements:learning_time_rep", self.rep_id)

    @property
    def work_minutes(self) -> int:
        return round(self.work_seconds / 60)


def _work_split(
    days: list[tuple[date, float]], versions: list[AgreementVersion]
) -> tuple[list[tuple[date, float, float]], float]:
    """Mark each day's learning as work time per the agreement in effect that day, up to the monthly cap."""
    out, used = [], 0.0
    for day, seconds in sorted(days):
        version = _in_effect(versions, day)
        work = 0.0
        if version is not None and version.counts_as_work:
            work = seconds
            if version.work_cap_minutes_per_month is not None:
                work = max(0.0, min(seconds, version.work_cap_minutes_per_month * 60 - used))
        used += work
        out.append((day, seconds, work))
    return out, used


def learning_time_for_partner(*, partner: Organization, month: date, with_days: bool = False) -> list[RepLearningTime]:
    """Return each active rep's learning time of a month, marked as work time per the agreement (3 queries)."""
    end = month_end(month)
    reps = partner_reps(partner)
    versions = _versions_by_partner([partner.pk]).get(partner.pk, [])
    by_rep: dict[int, list[tuple[date, float]]] = {}
    for rep_id, day, seconds in (
        LearningTimeDay.objects.filter(partner=partner, day__gte=month, day__lte=end)
        .order_by()
        .values_list("rep_id", "day", "seconds")
    ):
        by_rep.setdefault(rep_id, []).append((day, seconds))
    lines = []
    for rep in reps:
        line = RepLearningTime(rep_id=rep.id, name=rep.name, email=rep.email, team_name=rep.team_name)
        split, line.work_seconds = _work_split(by_rep.get(rep.id, []), versions)
        line.seconds = sum(seconds for _day, seconds, _work in split)
        line.active_days = sum(1 for _day, seconds, _work in split if seconds > 0)
        if with_days:
            line.days = [LearningDayLine(d, round(s / 60), round(w / 60)) for d, s, w in split]
        lines.append(line)
    return lines


def learning_time_for_rep(*, rep: User, month: date) -> RepLearningTime:
    """Return one rep's learning time of a month, day by day (3 queries)."""
    partner_id = rep.membership.organization_id
    team = rep.membership.team
    versions = _versions_by_partner([partner_id]).get(partner_id, [])
    days = list(
        LearningTimeDay.objects.filter(rep=rep, day__gte=month, day__lte=month_end(month)).values_list("day", "seconds")
    )
    split, work = _work_split(days, versions)
    return RepLearningTime(
        rep_id=rep.pk,
        name=rep.name,
        email=rep.email,
        team_name=team.name if team else "",
        seconds=sum(s for _d, s, _w in split),
        work_seconds=work,
        active_days=sum(1 for _d, s, _w in split if s > 0),
        days=[LearningDayLine(d, round(s / 60), round(w / 60)) for d, s, w in split],
    )


# --- Compliance ------------------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    rep_id: int
    name: str
    email: str
    team_name: str
    required: int = 0
    done: int = 0
    overdue: int = 0
    overdue_titles: list[str] = field(default_factory=list)
    minutes: int = 0
    minimum: int = 0
    expected_minutes: int = 0

    @property
    def href(self) -> str:
        return url_with_id("agreements:learning_time_rep", self.rep_id)

    @property
    def minutes_short(self) -> bool:
        return self.minutes < self.expected_minutes

    @property
    def has_gap(self) -> bool:
        return self.overdue > 0 or self.minutes_short


@dataclass
class Compliance:
    partner: Organization
    month: date
    version: AgreementVersion | None
    rows: list[ComplianceRow]
    is_current_month: bool

    @property
    def gaps(self) -> list[ComplianceRow]:
        return [row for row in self.rows if row.has_gap]

    @property
    def required(self) -> int:
        return sum(r.required for r in self.rows)

    @property
    def done(self) -> int:
        return sum(r.done for r in self.rows)

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.rows)

    @property
    def completion_percent(self) -> int | None:
        return round(100 * self.done / self.required) if self.required else None

    @property
    def below_minimum(self) -> int:
        return sum(1 for r in self.rows if r.minutes_short)


def _cutoff(month: date, now: datetime) -> tuple[datetime, date]:
    """The moment a month is judged at: its last second, or now while it runs."""
    end = end_of_day(month_end(month))
    if now < end:
        return now, timezone.localdate(now, timezone=_tz())
    return end, month_end(month)


def _expected_minutes(version: AgreementVersion | None, month: date, judged_on: date) -> tuple[int, int]:
    """Return (the monthly minimum, what is expected by the day judged: pro-rated while the month runs)."""
    minimum = version.min_minutes_per_month if version else 0
    if judged_on >= month_end(month):
        return minimum, minimum
    return minimum, (minimum * judged_on.day) // month_end(month).day


@dataclass(slots=True)
class _RequiredStatus:
    required: int = 0
    done: int = 0
    overdue: int = 0
    overdue_titles: list[str] = field(default_factory=list)


def _earliest_due(assignments: Iterable[AssignedCourse]) -> dict[int, datetime | None]:
    """Return {course id: its earliest due date} over assignments, several for one course counting once."""
    due: dict[int, datetime | None] = {}
    for a in assignments:
        held = due.get(a.course_id)
        if a.course_id not in due or (a.due_at is not None and (held is None or a.due_at < held)):
            due[a.course_id] = a.due_at
    return due


def _required_status(reps: list[_Rep], cutoff: datetime) -> dict[int, _RequiredStatus]:
    """Return per rep the required courses reaching them, finished by the cutoff, and overdue at it (2 queries).

    A required assignment reaches a rep through their partner, their team or to them alone (as in the
    catalog); several for one course count once, with the earliest due date.
    """
    partner_ids = sorted({rep.partner_id for rep in reps if rep.partner_id is not None})
    assignments = partner_assignments(partner_ids=partner_ids, required_only=True)
    titles = {a.course_id: a.title for a in assignments.all()}
    finished: set[tuple[int, int]] = set()
    if titles:
        finished = courses_finished(course_ids=titles, by=cutoff, partner_ids=partner_ids)
    status: dict[int, _RequiredStatus] = {}
    for rep in reps:
        targets = (
            _earliest_due(assignments.reaching(partner_id=rep.partner_id, team_id=rep.team_id, rep_id=rep.id))
            if rep.partner_id is not None
            else {}
        )
        line = status[rep.id] = _RequiredStatus(required=len(targets))
        for course_id, due_at in targets.items():
            if (rep.id, course_id) in finished:
                line.done += 1
            elif due_at is not None and due_at < cutoff:
                line.overdue += 1
                line.overdue_titles.append(titles[course_id])
    return status


def compliance_for_partner(*, partner: Organization, month: date, now: datetime | None = None) -> Compliance:
    """Return per rep the required work done and overdue by the month's end (or now) and the minutes learned
    against the agreement's minimum, pro-rated while the month runs (5 queries)."""
    now = now or timezone.now()
    cutoff, judged_on = _cutoff(month, now)
    version = version_in_effect(partner, judged_on)
    minimum, expected = _expected_minutes(version, month, judged_on)
    reps = partner_reps(partner)
    required = _required_status(reps, cutoff)
    minutes = dict(LearningTimeMonth.objects.filter(partner=partner, month=month).values_list("rep_id", "seconds"))
    rows = []
    for rep in reps:
        status = required[rep.id]
        rows.append(
            ComplianceRow(
                rep_id=rep.id,
                name=rep.name,
                email=rep.email,
                team_name=rep.team_name,
                required=status.required,
                done=status.done,
                overdue=status.overdue,
                overdue_titles=sorted(status.overdue_titles),
                minutes=round(minutes.get(rep.id, 0.0) / 60),
                minimum=minimum,
                expected_minutes=expected,
            )
        )
    return Compliance(
        partner=partner, month=month, version=version, rows=rows, is_current_month=month == this_month(now)
    )


@dataclass
class PartnerCompliance:
    partner: Organization
    version: AgreementVersion | None
    reps: int = 0
    required: int = 0
    done: int = 0
    overdue: int = 0
    below_minimum: int = 0

    @property
    def completion_percent(self) -> int | None:
        return round(100 * self.done / self.required) if self.required else None


def compliance_overview(*, month: date, now: datetime | None = None) -> list[PartnerCompliance]:
    """Return every partner's compliance of a month side by side, for the principal (8 queries in all).

    The cost follows partners × courses, not reps: partner-wide required courses are counted with SQL
    aggregates; only the few reps reached by team or personal assignments are read one by one.
    """
    from django.db.models import Count, Q

    now = now or timezone.now()
    cutoff, judged_on = _cutoff(month, now)
    partners = list(Organization.objects.filter(kind=Organization.Kind.PARTNER).order_by("name"))
    versions = _versions_by_partner(p.pk for p in partners)
    out = {p.pk: PartnerCompliance(partner=p, version=_in_effect(versions.get(p.pk, []), judged_on)) for p in partners}
    expected = {pk: _expected_minutes(row.version, month, judged_on)[1] for pk, row in out.items()}
    reps = active_reps(partner_ids=list(out))
    for partner_id, count in (
        reps.order_by()
        .values_list("membership__organization_id")
        .annotate(n=Count("pk"))
        .values_list("membership__organization_id", "n")
    ):
        out[partner_id].reps = count
    assignments = partner_assignments(partner_ids=list(out), required_only=True)
    wide = {pid: _earliest_due(assignments.partner_wide(pid)) for pid in out if assignments.partner_wide(pid)}
    specific_teams, specific_reps = assignments.targeted()
    finished = courses_finished_per_partner(
        course_ids={c for courses in wide.values() for c in courses}, by=cutoff, users=reps
    )
    for partner_id, courses in wide.items():
        row = out[partner_id]
        for course_id, due_at in courses.items():
            done = finished.get((partner_id, course_id), 0)
            row.required += row.reps
            row.done += done
            if due_at is not None and due_at < cutoff:
                row.overdue += row.reps - done
    # The reps that team or personal assignments reach: their whole status replaces what the aggregates counted.
    special = (
        _reps_of(list(out), only=Q(pk__in=specific_reps) | Q(membership__team_id__in=specific_teams))
        if specific_reps or specific_teams
        else []
    )
    if special:
        statuses = _required_status(special, cutoff)
        done_wide = courses_finished(
            course_ids={c for courses in wide.values() for c in courses}, by=cutoff, users=[rep.id for rep in special]
        )
        for rep in special:
            row, status = out[rep.partner_id or 0], statuses[rep.id]
            courses = wide.get(rep.partner_id or 0, {})
            counted_done = sum(1 for c in courses if (rep.id, c) in done_wide)
            counted_overdue = sum(
                1 for c, due in courses.items() if (rep.id, c) not in done_wide and due is not None and due < cutoff
            )
            row.required += status.required - len(courses)
            row.done += status.done - counted_done
            row.overdue += status.overdue - counted_overdue
    reaching_filter = Q(pk__in=[])
    for partner_id, minutes in expected.items():
        reaching_filter |= Q(partner_id=partner_id, seconds__gte=minutes * 60 - MINUTE_ROUNDING_SECONDS)
    reaching = dict(
        LearningTimeMonth.objects.filter(month=month, rep__in=reps)
        .filter(reaching_filter)
        .order_by()
        .values_list("partner_id")
        .annotate(n=Count("pk"))
        .values_list("partner_id", "n")
    )
    for pk, row in out.items():
        row.below_minimum = max(0, row.reps - reaching.get(pk, 0)) if expected[pk] else 0
    return list(out.values())
