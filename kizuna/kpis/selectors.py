"""Reads of the KPI app: the KPI board (overall, agency, team, rep), its targets, and the monthly summary.

Every figure is computed at read time from two sources only: the sales figures loaded per rep and month
(SalesFigure) and the learning rollup derived from statements (LearningMonth), plus the completion rate of
required courses from the progress dashboards' selector. Each read is a fixed number of grouped queries,
whatever the number of reps: the board of every agency sums (agency × month) groups in the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from kizuna.analytics.selectors import (
    ProgressStatus,
    partner_progress_rows,
)
from kizuna.orgs.models import Membership, Organization, Team
from kizuna.orgs.selectors import active_rep_memberships

from .models import KpiTarget, LearningMonth, Metric, SalesFigure, SalesMonth, TargetKind
from .periods import current_month, month_add, months_between
from .projections import SCALE
from .rollups import completion_for

if TYPE_CHECKING:
    from kizuna.accounts.models import User

TREND_MONTHS = 12
BASELINE_MONTHS = 3
SALES_SUMS = ("calls", "appointments", "deals", "revenue")
LEARNING_SUMS = (
    "quizzes",
    "quiz_score_units",
    "scenarios",
    "alignment_units",
    "roleplays",
    "roleplay_score_units",
    "roleplays_passed",
    "answers_accepted",
    "answers_upvoted",
    "courses_completed",
)


# --- Figures of one scope in one month ---------------------------------------------------------------


@dataclass
class Figures:
    """Sums of sales and learning for one scope (everyone, an agency, a team, a rep) over some months."""

    reps: int = 0  # reps with sales figures
    calls: int = 0
    appointments: int = 0
    deals: int = 0
    revenue: int = 0
    quizzes: int = 0
    quiz_score_units: int = 0
    scenarios: int = 0
    alignment_units: int = 0
    roleplays: int = 0
    roleplay_score_units: int = 0
    roleplays_passed: int = 0
    answers_accepted: int = 0
    answers_upvoted: int = 0
    courses_completed: int = 0

    def add(self, other: Figures) -> None:
        for name in ("reps", *SALES_SUMS, *LEARNING_SUMS):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def appointment_rate(self) -> float | None:
        """Appointments per call, in percent."""
        return 100 * self.appointments / self.calls if self.calls else None

    @property
    def close_rate(self) -> float | None:
        """Deals per appointment, in percent."""
        return 100 * self.deals / self.appointments if self.appointments else None

    @property
    def average_score(self) -> float | None:
        """Average quiz score out of 100."""
        return 100 * self.quiz_score_units / SCALE / self.quizzes if self.quizzes else None

    @property
    def alignment(self) -> float | None:
        """Average top-rep alignment in scenarios, in percent."""
        return 100 * self.alignment_units / SCALE / self.scenarios if self.scenarios else None

    @property
    def roleplay_score(self) -> float | None:
        return 100 * self.roleplay_score_units / SCALE / self.roleplays if self.roleplays else None

    def per_rep(self, name: str) -> float | None:
        return getattr(self, name) / self.reps if self.reps else None


Key = Any  # the group's id (partner, team or rep id), or None for everyone


def _sales(filters: Q, group: str | None, months: Sequence[date]) -> dict[tuple[Key, date], Figures]:
    values = ["period"] + ([group] if group else [])
    rows = (
        SalesFigure.objects.filter(filters, period__in=list(months))
        .order_by()
        .values(*values)
        .annotate(reps_n=Count("rep_id", distinct=True), **{name: Sum(name) for name in SALES_SUMS})
    )
    out: dict[tuple[Key, date], Figures] = {}
    for row in rows:
        figures = Figures(reps=row["reps_n"], **{name: row[name] or 0 for name in SALES_SUMS})
        out[(row[group] if group else None, row["period"])] = figures
    return out


def _learning(filters: Q, group: str | None, months: Sequence[date]) -> dict[tuple[Key, date], dict[str, int]]:
    values = ["month"] + ([group] if group else [])
    rows = (
        LearningMonth.objects.filter(filters, month__in=list(months))
        .order_by()
        .values(*values)
        .annotate(**{f"s_{name}": Sum(name) for name in LEARNING_SUMS})
    )
    return {
        (row[group] if group else None, row["month"]): {name: row[f"s_{name}"] or 0 for name in LEARNING_SUMS}
        for row in rows
    }


def figures_by(
    *, sales_filter: Q, learning_filter: Q, group: str | None, learning_group: str | None, months: Sequence[date]
) -> dict[tuple[Key, date], Figures]:
    """Return {(group id, month): Figures} of sales and learning (two grouped queries)."""
    out = _sales(sales_filter, group, months)
    for key, sums in _learning(learning_filter, learning_group, months).items():
        figures = out.setdefault(key, Figures())
        for name, value in sums.items():
            setattr(figures, name, value)
    return out


def _sum_over(figures: dict[tuple[Key, date], Figures], key: Key, months: Iterable[date]) -> Figures:
    total = Figures()
    reps = 0
    for month in months:
        f = figures.get((key, month))
        if f is not None:
            total.add(f)
            reps = max(reps, f.reps)
    total.reps = reps  # reps reporting in the busiest month, not the sum over months
    return total


# --- Targets ---------------------------------------------------------------------------------------


@dataclass
class TargetSet:
    """The targets that apply to one scope: its own where set, else the overall ones."""

    completion: KpiTarget | None = None
    average_score: KpiTarget | None = None
    appointment_uplift: KpiTarget | None = None
    own: set[str] = field(default_factory=set)

    def get(self, metric: str) -> KpiTarget | None:
        return getattr(self, metric)


def targets_for(partner: Organization | None, *, _all: list[KpiTarget] | None = None) -> TargetSet:
    rows = _all if _all is not None else list(KpiTarget.objects.filter(Q(partner=partner) | Q(partner__isnull=True)))
    chosen = TargetSet()
    for metric in Metric.values:
        overall = next((t for t in rows if t.partner_id is None and t.metric == metric), None)
        own = next((t for t in rows if partner is not None and t.partner_id == partner.pk and t.metric == metric), None)
        setattr(chosen, metric, own or overall)
        if own is not None:
            chosen.own.add(metric)
    return chosen


def baseline_months(target: KpiTarget) -> list[date]:
    """The months whose appointment rate is the baseline: as set, or the 3 months before the target was set."""
    if target.baseline_from and target.baseline_to:
        return months_between(target.baseline_from, target.baseline_to)
    set_month = (target.set_at.date() if target.set_at else current_month()).replace(day=1)
    return [month_add(set_month, -n) for n in range(BASELINE_MONTHS, 0, -1)]


def appointment_target(target: KpiTarget | None, baseline: float | None) -> float | None:
    """The appointment rate to reach (percent): the baseline raised by the target's points or percent."""
    if target is None or baseline is None:
        return None
    if target.kind == TargetKind.PERCENT:
        return baseline * (1 + target.value / 100)
    return baseline + target.value


# --- The board ----------------------------------------------------------------------------------------


@dataclass
class MetricLine:
    key: str
    label: str
    value: float | None
    target: float | None
    unit: str  # "%" or "pt"
    baseline: float | None = None

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target - 1e-9


@dataclass
class ScopeRow:
    """One line of a side-by-side table: an agency, a team or a rep."""

    id: int
    name: str
    figures: Figures
    completion: float | None
    lines: list[MetricLine]
    trend: list[float | None] = field(default_factory=list)

    def line(self, key: str) -> MetricLine:
        return next(line for line in self.lines if line.key == key)


@dataclass
class Board:
    month: date
    months: list[date]
    figures: Figures
    lines: list[MetricLine]
    trends: dict[str, list[float | None]]
    targets: TargetSet
    rows: list[ScopeRow]
    reps_total: int = 0
    has_sales: bool = False

    def line(self, key: str) -> MetricLine:
        return next(line for line in self.lines if line.key == key)


def metric_label(key: str) -> str:
    return {
        "completion": _("Completion rate of required courses"),
        "average_score": _("Average quiz score"),
        "appointment_rate": _("Appointment rate"),
        "close_rate": _("Close rate"),
        "alignment": _("Top-rep alignment"),
    }[key]


def _lines(figures: Figures, completion: float | None, targets: TargetSet, baseline: float | None) -> list[MetricLine]:
    t_completion, t_score = targets.completion, targets.average_score
    return [
        MetricLine(
            "completion", metric_label("completion"), completion, t_completion.value if t_completion else None, "%"
        ),
        MetricLine(
            "average_score",
            metric_label("average_score"),
            figures.average_score,
            t_score.value if t_score else None,
            "pt",
        ),
        MetricLine(
            "appointment_rate",
            metric_label("appointment_rate"),
            figures.appointment_rate,
            appointment_target(targets.appointment_uplift, baseline),
            "%",
            baseline=baseline,
        ),
        MetricLine("close_rate", metric_label("close_rate"), figures.close_rate, None, "%"),
    ]


TREND_KEYS = ("average_score", "appointment_rate", "close_rate")


def _trend(
    figures: dict[tuple[Key, date], Figures], key: Key, months: Sequence[date], metric: str
) -> list[float | None]:
    return [getattr(figures.get((key, m)) or Figures(), metric) for m in months]


def _window(month: date, baseline_sets: Iterable[list[date]]) -> tuple[list[date], list[date]]:
    trend = [month_add(month, -n) for n in range(TREND_MONTHS - 1, -1, -1)]
    every = set(trend)
    for months in baseline_sets:
        every.update(months)
    return trend, sorted(every)


def _baseline_rate(figures: dict[tuple[Key, date], Figures], key: Key, target: KpiTarget | None) -> float | None:
    if target is None:
        return None
    return _sum_over(figures, key, baseline_months(target)).appointment_rate


def overall_board(*, partners: Sequence[Organization], month: date | None = None) -> Board:
    """Every agency's figures in the month, side by side per rep, and everyone's monthly trend (principal only)."""
    month = month or default_month()
    all_targets = list(KpiTarget.objects.all())
    per_partner = {p.pk: targets_for(p, _all=all_targets) for p in partners}
    overall_targets = targets_for(None, _all=all_targets)
    baseline_sets = [
        baseline_months(t.appointment_uplift)
        for t in [overall_targets, *per_partner.values()]
        if t.appointment_uplift is not None
    ]
    trend_months, months = _window(month, baseline_sets)
    ids = [p.pk for p in partners]
    by_partner = _sales_rollup(ids, months)
    for key, sums in _learning(Q(partner_id__in=ids), "partner_id", months).items():
        figures = by_partner.setdefault(key, Figures())
        for name, value in sums.items():
            setattr(figures, name, value)
    overall: dict[tuple[Key, date], Figures] = {}
    for (_pid, m), f in by_partner.items():
        overall.setdefault((None, m), Figures()).add(f)
    snapshots = completion_for(partners=partners)
    required = sum(snapshots[(p.pk, None)].required for p in partners)
    done = sum(snapshots[(p.pk, None)].completed for p in partners)
    rows = []
    for p in partners:
        completion = snapshots[(p.pk, None)].rate
        f = by_partner.get((p.pk, month)) or Figures()
        targets = per_partner[p.pk]
        rows.append(
            ScopeRow(
                id=p.pk,
                name=p.name,
                figures=f,
                completion=completion,
                lines=_lines(f, completion, targets, _baseline_rate(by_partner, p.pk, targets.appointment_uplift)),
                trend=_trend(by_partner, p.pk, trend_months, "appointment_rate"),
            )
        )
    figures = overall.get((None, month)) or Figures()
    return Board(
        month=month,
        months=trend_months,
        figures=figures,
        lines=_lines(
            figures,
            100 * done / required if required else None,
            overall_targets,
            _baseline_rate(overall, None, overall_targets.appointment_uplift),
        ),
        trends={k: _trend(overall, None, trend_months, k) for k in TREND_KEYS},
        targets=overall_targets,
        rows=rows,
        reps_total=sum(snapshots[(p.pk, None)].reps for p in partners),
        has_sales=any(f.calls for f in overall.values()),
    )


def partner_board(*, partner: Organization, month: date | None = None, team: Team | None = None) -> Board:
    """One agency's (or one of its teams') figures, trend and targets, with its teams (or the team's reps) side by side."""
    month = month or default_month()
    targets = targets_for(partner)
    baseline_sets = [baseline_months(targets.appointment_uplift)] if targets.appointment_uplift else []
    trend_months, months = _window(month, baseline_sets)
    # The agency's own baseline, also for a team: targets are the agency's. Its sales come from the rollup.
    agency = {(None, m): f for (_p, m), f in _sales_rollup([partner.pk], months).items()}
    for bucket, sums in _learning(Q(partner=partner), None, months).items():
        figures = agency.setdefault(bucket, Figures())
        for name, value in sums.items():
            setattr(figures, name, value)
    baseline = _baseline_rate(agency, None, targets.appointment_uplift)
    completions: Mapping[int, float | None]
    if team is None:
        scope = agency
        groups = figures_by(
            sales_filter=Q(partner=partner),
            learning_filter=Q(partner=partner),
            group="rep__membership__team_id",
            learning_group="rep__membership__team_id",
            months=[month],
        )
        members = [(t.pk, t.name) for t in partner.teams.order_by("name", "pk")]
        snapshots = completion_for(partners=[partner])
        completion, reps_total = snapshots[(partner.pk, None)].rate, snapshots[(partner.pk, None)].reps
        completions = {team_id: s.rate for (_p, team_id), s in snapshots.items() if team_id is not None}
    else:
        in_team = Q(partner=partner, rep__membership__team=team)
        scope = figures_by(
            sales_filter=in_team, learning_filter=in_team, group=None, learning_group=None, months=months
        )
        groups = figures_by(
            sales_filter=in_team, learning_filter=in_team, group="rep_id", learning_group="rep_id", months=[month]
        )
        members = _team_reps(team)
        completion, completions, reps_total = _completions(partner, team, by="rep_id")
    rows = []
    for key, name in members:
        f = groups.get((key, month)) or Figures()
        completion = completions.get(key)
        rows.append(
            ScopeRow(
                id=key, name=name, figures=f, completion=completion, lines=_lines(f, completion, targets, baseline)
            )
        )
    figures = scope.get((None, month)) or Figures()
    return Board(
        month=month,
        months=trend_months,
        figures=figures,
        lines=_lines(figures, completion, targets, baseline),
        trends={k: _trend(scope, None, trend_months, k) for k in TREND_KEYS},
        targets=targets,
        rows=rows,
        reps_total=reps_total,
        has_sales=any(f.calls for f in scope.values()),
    )


def _reps_in(partner: Organization, team: Team | None) -> QuerySet[Membership]:
    members = active_rep_memberships(partner_ids=[partner.pk])
    return members.filter(team=team) if team is not None else members


def _sales_rollup(partner_ids: Sequence[int], months: Sequence[date]) -> dict[tuple[Key, date], Figures]:
    return {
        (row.partner_id, row.month): Figures(
            reps=row.reps, calls=row.calls, appointments=row.appointments, deals=row.deals, revenue=row.revenue
        )
        for row in SalesMonth.objects.filter(partner_id__in=list(partner_ids), month__in=list(months))
    }


def _team_reps(team: Team) -> list[tuple[int, str]]:
    return list(
        _reps_in(team.organization, team).order_by("user__name", "user_id").values_list("user_id", "user__name")
    )


def _completions(partner: Organization, team: Team, *, by: str) -> tuple[float | None, dict[int, float], int]:
    """Completion of required courses (percent) for the scope and per team or rep, and the number of reps."""
    rows = [row for row in partner_progress_rows(partner=partner, team=team) if row.required]
    counts: dict[int, list[int]] = {}
    for row in rows:
        pair = counts.setdefault(getattr(row, by) or 0, [0, 0])
        pair[0] += row.status == ProgressStatus.COMPLETED
        pair[1] += 1
    done = sum(c[0] for c in counts.values())
    total = sum(c[1] for c in counts.values())
    reps = _reps_in(partner, team).count()
    return (100 * done / total if total else None), {k: 100 * c[0] / c[1] for k, c in counts.items()}, reps


def default_month() -> date:
    """The board's month: the latest month that has sales figures, else the current month."""
    latest = (
        SalesFigure.objects.filter(period__lte=current_month())
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return latest or current_month()


# --- One rep -----------------------------------------------------------------------------------------


@dataclass
class RepMonth:
    month: date
    figures: Figures


def rep_months(*, rep: User, last: date | None = None, count: int = TREND_MONTHS) -> list[RepMonth]:
    """One rep's sales and learning per month, newest first (two queries)."""
    last = last or default_month()
    months = [month_add(last, -n) for n in range(count)]
    figures = figures_by(
        sales_filter=Q(rep=rep), learning_filter=Q(rep=rep), group=None, learning_group=None, months=months
    )
    return [RepMonth(month=m, figures=figures.get((None, m)) or Figures()) for m in months]


# --- For other apps -------------------------------------------------------------------------------------


def partner_kpi_summary(*, partner: Organization, month: date) -> list[dict[str, Any]]:
    """Return the agency's KPI board for the month as [{key, label, value, target, met, unit}] (the monthly report).

    ``value`` and ``target`` are floats (percent, or points out of 100 for the quiz score) or None when there is
    nothing to measure; ``met`` is None when either is missing. Completion is the current rate.
    """
    board = partner_board(partner=partner, month=month.replace(day=1))
    return [
        {
            "key": line.key,
            "label": line.label,
            "value": None if line.value is None else round(line.value, 1),
            "target": None if line.target is None else round(line.target, 1),
            "met": line.met,
            "unit": line.unit,
        }
        for line in board.lines
    ]


def course_finish_months(*, course_slug: str) -> dict[int, date]:
    """Return {rep id: month they first finished the course}, from the completion rollup (the demo seed)."""
    from .models import CourseCompletion
    from .periods import month_of

    return {
        rep_id: month_of(at)
        for rep_id, at in CourseCompletion.objects.filter(course__slug=course_slug).values_list(
            "rep_id", "completed_at"
        )
    }


# --- Experiments: the eligible reps' history ----------------------------------------------------------------


FIGURE_COLUMNS = ("rep_id", "month", "calls", "appointments", "closed")


def figure_rows(query: Any) -> Any:
    """Sales figures as columns `FIGURE_COLUMNS` (a pandas DataFrame), products summed per rep and month.

    `query` is a `SalesFigure` values_list of rep_id, period, calls, appointments, deals. The rows are read through
    the cursor and turned into one numpy array per column (not a DataFrame built from 100,000s of tuples, nor the
    ORM's grouped rows: at 10,000 reps × 24 months each costs seconds); months are converted once per distinct
    month."""
    import numpy as np
    import pandas as pd  # type: ignore[import-untyped]

    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if not fetched:
        return pd.DataFrame([], columns=list(FIGURE_COLUMNS))
    rep_id, *values = (
        np.fromiter(map(itemgetter(k), fetched), dtype=np.int64, count=len(fetched)) for k in (0, 2, 3, 4)
    )
    codes, uniques = pd.factorize(np.fromiter(map(itemgetter(1), fetched), dtype=object, count=len(fetched)))
    months = np.array([m if isinstance(m, date) else date.fromisoformat(str(m)[:10]) for m in uniques], dtype=object)
    key = pd.Series(rep_id * len(months) + codes)
    if key.duplicated().any():  # several products in a month: sum them
        inverse, unique_keys = pd.factorize(key)
        first = np.unique(inverse, return_index=True)[1]
        values = [np.bincount(inverse, weights=v, minlength=len(unique_keys)).astype(np.int64) for v in values]
        rep_id, codes = rep_id[first], codes[first]
    return pd.DataFrame(dict(zip(FIGURE_COLUMNS, [rep_id, months[codes], *values], strict=True)))


def experiment_history(*, partner_ids: Sequence[int], months: int) -> Any:
    """The active reps of these agencies, their team and their figures over the last `months` months with figures.

    A pandas DataFrame with the columns of `experiments.COLUMNS` (one row per rep and month, products summed;
    arm empty, wave none); a rep without a team is a team of their own (a cluster of one). Rep, team and agency
    are categoricals (the estimators factorize them; codes need no hashing of 100,000s of strings).
    """
    import numpy as np
    import pandas as pd

    from .experiments import COLUMNS

    rep_rows = active_rep_memberships(partner_ids=list(partner_ids)).values_list(
        "user_id", "team_id", "organization_id"
    )
    members = list({row[0]: row for row in rep_rows}.values())  # one membership per rep
    # By the agencies' index (partner, period), not by a list of 10,000 reps; reps who left are dropped below.
    figures = SalesFigure.objects.filter(partner_id__in=list(partner_ids), period__lte=current_month()).order_by()
    latest = figures.order_by("-period").values_list("period", flat=True).first()
    if latest is None or not members:
        return pd.DataFrame([], columns=list(COLUMNS))
    rows = figure_rows(
        figures.filter(period__gte=month_add(latest, 1 - months)).values_list(
            "rep_id", "period", "calls", "appointments", "deals"
        )
    )
    users = np.array([m[0] for m in members], dtype=np.int64)
    at = pd.Index(users).get_indexer(rows["rep_id"].to_numpy(dtype=np.int64)) if len(rows) else np.array([], int)
    kept = at >= 0
    at = at[kept]

    def labels(per_rep: list[str]) -> Any:
        codes, uniques = pd.factorize(np.asarray(per_rep, dtype=object))
        return pd.Categorical.from_codes(codes[at], categories=uniques)

    return pd.DataFrame(
        {
            "rep": labels([str(user) for user, _team, _partner in members]),
            "team": labels([f"team:{team}" if team else f"rep:{user}" for user, team, _partner in members]),
            "agency": labels([f"agency:{partner}" for _user, _team, partner in members]),
            "arm": "",
            "wave": None,
            "month": rows["month"].to_numpy()[kept],
            "calls": rows["calls"].to_numpy()[kept],
            "appointments": rows["appointments"].to_numpy()[kept],
            "closed": rows["closed"].to_numpy()[kept],
        },
        columns=list(COLUMNS),
    )


def experiment_detectable(
    *, partner_ids: Sequence[int], design: str, metric: str, period: int, held_out: float, waves: int, spacing: int
) -> Any:
    """What an experiment on these agencies' active reps could detect (`experiments.Detectable`), from their history.

    Raises `experiments.AnalysisError` when their figures cannot tell (too few months, reps or teams).
    """
    from . import experiments

    months = period if design == "holdout" else 1 + waves * spacing
    history = experiment_history(partner_ids=partner_ids, months=months)
    if history.empty:
        raise experiments.AnalysisError(["no figures"])
    return experiments.minimum_detectable_effect(
        history, design=design, metric=metric, share=1 - held_out, waves=waves, spacing=spacing, period=period
    )
