"""Reads of incentives: an agency's rules, and its monthly statement of what each rep earned and why."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404

from kizuna.orgs.access import Role, has_role, membership_of

from .models import IncentiveRule

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.orgs.models import Organization

Kind = IncentiveRule.Kind


def rules_for_partner(partner: "Organization") -> list[IncentiveRule]:
    """Return the agency's incentive rules, current and past (the agreement page shows them)."""
    return list(
        IncentiveRule.objects.filter(partner=partner)
        .select_related("certification", "course")
        .order_by("kind", "-effective_from", "id")
    )


def rules_in_effect(*, partner: "Organization", day: date) -> list[IncentiveRule]:
    """Return the agency's rules that pay on this day (what a rep can earn)."""
    return [rule for rule in rules_for_partner(partner) if rule.applies_on(day)]


def can_manage_incentives(user: "User") -> bool:
    return has_role(user, Role.ADMIN)


def access_rule_for_user(user: "User", rule_id: int) -> IncentiveRule:
    if not can_manage_incentives(user):
        raise Http404
    try:
        return IncentiveRule.objects.select_related("partner").get(pk=rule_id)
    except (IncentiveRule.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class Line:
    rep_id: int
    rep_name: str
    rep_email: str
    at: datetime
    kind: str
    detail: str
    amount: int

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


@dataclass
class RepTotal:
    rep_id: int
    rep_name: str
    rep_email: str
    lines: list[Line] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass
class MonthStatement:
    partner: "Organization"
    month: date
    reps: list[RepTotal]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.reps)

    @property
    def lines(self) -> list[Line]:
        return [line for rep in self.reps for line in rep.lines]


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """Return [start, end) of the calendar month in the deployment's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=zone)
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, datetime.combine(following, time.min, tzinfo=zone)


def _local_day(at: datetime) -> date:
    return at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def rule_for(
    rules: Iterable[IncentiveRule],
    *,
    kind: str,
    day: date,
    certification_id: int | None = None,
    course_id: int | None = None,
) -> IncentiveRule | None:
    """Return the rule that pays for this achievement on this day: one naming the thing wins over a general one."""
    best: IncentiveRule | None = None
    for rule in rules:
        if rule.kind != kind or not rule.applies_on(day):
            continue
        if rule.certification_id not in (None, certification_id) or rule.course_id not in (None, course_id):
            continue
        specific = rule.certification_id is not None or rule.course_id is not None
        best_specific = best is not None and (best.certification_id is not None or best.course_id is not None)
        if best is None or (specific, rule.effective_from) > (best_specific, best.effective_from):
            best = rule
    return best


def incentive_statement(*, partner: "Organization", month: date) -> MonthStatement:
    """Return every rep's rewards in the month with the events behind them (certifications, courses on time)."""
    return _statement(partner=partner, month=month)


def rep_incentive_month(*, rep: "User", month: date) -> RepTotal:
    """Return one rep's own rewards in the month, by the same rules as their agency's statement.

    Only the rep's own events and courses are read, so a rep's page never touches a colleague's records.
    """
    m = membership_of(rep)
    empty = RepTotal(rep_id=rep.pk, rep_name=rep.name, rep_email=rep.email)
    if m is None or m.role != Role.REP:
        return empty
    statement = _statement(partner=m.organization, month=month, rep=rep)
    return next((total for total in statement.reps if total.rep_id == rep.pk), empty)


@dataclass(frozen=True)
class _CourseDone:
    rep_id: int
    rep_name: str
    rep_email: str
    course_id: int
    title: str
    required: bool
    due_at: datetime | None
    completed_at: datetime | None


def _courses_done(partner: "Organization", rep: "User | None") -> list[_CourseDone]:
    from kizuna.analytics.selectors import partner_progress_rows, rep_progress

    if rep is not None:
        return [
            _CourseDone(
                rep.pk, rep.name, rep.email, c.course_id, c.title, c.assigned and c.required, c.due_at, c.completed_at
            )
            for c in rep_progress(rep=rep)
        ]
    return [
        _CourseDone(
            r.rep_id, r.rep_name, r.rep_email, r.course_id, r.course_title, r.required, r.due_at, r.completed_at
        )
        for r in partner_progress_rows(partner=partner)
    ]


def _statement(*, partner: "Organization", month: date, rep: "User | None" = None) -> MonthStatement:
    from kizuna.certification.selectors import certification_events

    start, end = month_bounds(month)
    rules = rules_for_partner(partner)
    reps: dict[int, RepTotal] = {}

    def add(rep_id: int, name: str, email: str, line: Line) -> None:
        reps.setdefault(rep_id, RepTotal(rep_id=rep_id, rep_name=name, rep_email=email)).lines.append(line)

    if not rules:
        return MonthStatement(partner=partner, month=start.date(), reps=[])
    kinds = {"earned": Kind.CERTIFICATION_EARNED, "renewed": Kind.CERTIFICATION_RENEWED}
    events = certification_events(
        partner_id=partner.pk, start=start, end=end, kinds=list(kinds), rep_id=rep.pk if rep is not None else None
    )
    for event in events:
        kind = kinds[event.kind]
        rule = rule_for(rules, kind=kind, day=_local_day(event.at), certification_id=event.certification_id)
        if rule is not None:
            who = event.rep
            add(
                who.pk,
                who.name,
                who.email,
                Line(who.pk, who.name, who.email, event.at, kind, event.certification.name, rule.amount_yen),
            )
    if any(rule.kind == Kind.COURSE_ON_TIME for rule in rules):
        for row in _courses_done(partner, rep):
            done = row.completed_at
            if not row.required or done is None or row.due_at is None or done > row.due_at or not start <= done < end:
                continue
            rule = rule_for(rules, kind=Kind.COURSE_ON_TIME, day=_local_day(done), course_id=row.course_id)
            if rule is not None:
                line = Line(
                    row.rep_id, row.rep_name, row.rep_email, done, Kind.COURSE_ON_TIME, row.title, rule.amount_yen
                )
                add(row.rep_id, row.rep_name, row.rep_email, line)
    for total in reps.values():
        total.lines.sort(key=lambda line: (line.at, line.kind))
    ordered = sorted(reps.values(), key=lambda r: (r.rep_name, r.rep_id))
    return MonthStatement(partner=partner, month=start.date(), reps=ordered)
