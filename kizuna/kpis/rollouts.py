"""Reads of the experiments run in Kizuna (a course rolled out at random): the figures, enrolment, contamination,
the interim look and the result.

- **Data**: the drawn reps' sales figures per month (products summed) from `PRIOR_MONTHS` months before the start
  to the period's last month, as the CSV contract's frame (`experiments.COLUMNS`): holdout reps carry their arm
  (the treatment arm's `wave` is the start), waves reps the month of their wave.
- **Primary result** (pre-registered at start): `experiments.analyze` with the experiment's design and metric,
  intention to treat (every rep in the arm or wave the draw gave them, contaminated or not).
- **Interim**: while the period runs only an *always-valid* 95 % interval is shown: the normal-mixture
  confidence sequence of Robbins (1970) as used for A/B tests by Johari, Pekelis and Walsh (2017, "Always valid
  inference"): with the estimate θ̂ and its variance V, θ̂ ± √((V (V + τ²) / τ²) · (ln((V + τ²) / V) + 2 ln(1/α))),
  τ the planned minimum detectable effect, widened by t/z when there are few teams. It holds at every look at once, so looking every day does not raise
  the false positives; it is wider than the fixed 95 % interval of the end.
- **Per agency**: the same estimator on each agency's reps (exploratory; an agency needs 2 teams).
- **Compliance and the effect of doing the training**: the share of the reps given the course by the end who
  finished it, and two-stage least squares (linearmodels' IV2SLS, errors clustered by team) of the metric on
  "finished the course" instrumented by "given it" — for the waves after absorbing rep and month effects
  (pyhdfe). It is the effect on the reps who take the training when given it (the compliers), valid if being
  given the course changes sales only through doing it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.utils import timezone

from .experiments import (
    COLUMNS,
    CONFIDENCE,
    METRICS,
    TREATMENT,
    AnalysisError,
    ExperimentResult,
    analyze,
    rep_metric,
)
from .models import Experiment, ExperimentUnit, SalesFigure
from .periods import current_month, month_add, month_of

PRIOR_MONTHS = 3
ALPHA = 0.05


def _figures(*, partner_ids: Sequence[int], first: date, last: date) -> pd.DataFrame:
    """Sales figures of these agencies from `first` to `last` (months), products summed: rep_id, month, counts."""
    query = (
        SalesFigure.objects.filter(partner_id__in=list(partner_ids), period__gte=first, period__lte=last)
        .order_by()
        .values_list("rep_id", "period", "calls", "appointments", "deals")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    rows = pd.DataFrame(fetched, columns=["rep_id", "month", "calls", "appointments", "closed"])
    if rows.empty:
        return rows
    rows["month"] = pd.to_datetime(rows["month"]).dt.date
    key = rows["rep_id"].to_numpy(dtype="int64") * 4096 + pd.factorize(rows["month"])[0]
    if pd.Series(key).duplicated().any():
        rows = rows.groupby(["rep_id", "month"], sort=False, as_index=False)[["calls", "appointments", "closed"]].sum()
    return rows


def prior_levels(*, reps: Sequence[int], partner_ids: Sequence[int], metric: str, before: date) -> dict[int, float]:
    """Each rep's metric over the `PRIOR_MONTHS` months before `before` (reps with no denominator are left out)."""
    rows = _figures(partner_ids=partner_ids, first=month_add(before, -PRIOR_MONTHS), last=month_add(before, -1))
    if rows.empty:
        return {}
    rows = rows[rows["rep_id"].isin(list(reps))]
    frame = pd.DataFrame(
        {
            "rep": rows["rep_id"],
            "team": "",
            "agency": "",
            "arm": "",
            **{c: rows[c] for c in ("calls", "appointments", "closed")},
        }
    )
    per_rep = rep_metric(frame, metric)
    return {int(rep): float(y) for rep, y in zip(per_rep["rep"], per_rep["y"], strict=True)}


def experiment_end(experiment: Experiment) -> date:
    """The first month after the period."""
    return month_add(experiment.start, experiment.months)


def experiment_units(experiment: Experiment) -> list[ExperimentUnit]:
    return list(experiment.units.order_by("position"))


def experiment_frame(
    experiment: Experiment, *, units: list[ExperimentUnit] | None = None, last: date | None = None
) -> pd.DataFrame:
    """The drawn reps' rep-month figures (the CSV contract's columns) from the baseline to the period's end
    (or `last`, if earlier)."""
    units = units if units is not None else experiment_units(experiment)
    end = month_add(experiment_end(experiment), -1)
    last = min(end, last) if last else end
    partner_ids = list(experiment.partners.values_list("pk", flat=True))
    rows = _figures(partner_ids=partner_ids, first=month_add(experiment.start, -PRIOR_MONTHS), last=last)
    if rows.empty:
        return pd.DataFrame([], columns=list(COLUMNS))
    by_rep = {u.rep_id: u for u in units}
    rows = rows[rows["rep_id"].isin(list(by_rep))]
    holdout = experiment.design == Experiment.Design.HOLDOUT
    team = {r: f"team:{u.team_id}" if u.team_id else f"rep:{r}" for r, u in by_rep.items()}
    agency = {r: f"agency:{u.partner_id}" for r, u in by_rep.items()}
    arm = {r: u.group if holdout else "" for r, u in by_rep.items()}
    wave = {
        r: (experiment.start if u.group == TREATMENT else None) if holdout else u.release_on for r, u in by_rep.items()
    }
    ids = rows["rep_id"]
    return pd.DataFrame(
        {
            "rep": ids.astype(str),
            "team": ids.map(team),
            "agency": ids.map(agency),
            "arm": ids.map(arm),
            "wave": ids.map(wave).astype(object).where(ids.map(wave).notna(), None),
            "month": rows["month"],
            "calls": rows["calls"].astype(int),
            "appointments": rows["appointments"].astype(int),
            "closed": rows["closed"].astype(int),
        },
        columns=list(COLUMNS),
    ).reset_index(drop=True)


# --- Enrolment and contamination ----------------------------------------------------------------------------


@dataclass
class GroupCount:
    group: str
    reps: int = 0
    released: int = 0
    finished: int = 0
    contaminated: int = 0
    release_on: date | None = None


@dataclass
class Enrolment:
    groups: list[GroupCount]
    reps: int
    contaminated: int
    contaminated_reps: set[int] = field(default_factory=set)
    finished_reps: dict[int, datetime] = field(default_factory=dict)


def experiment_enrolment(experiment: Experiment, *, units: list[ExperimentUnit] | None = None) -> Enrolment:
    """Per arm or wave: reps drawn, given the course, finished it, and contaminated — reps who reached the course
    before their release month (another assignment reaching them, or progress started earlier)."""
    from kizuna.catalog.selectors import course_assignment_reach
    from kizuna.records.selectors import course_progress_times

    units = units if units is not None else experiment_units(experiment)
    partner_ids = list(experiment.partners.values_list("pk", flat=True))
    reach = course_assignment_reach(course_id=experiment.course_id, partner_ids=partner_ids)
    progress = course_progress_times(course_id=experiment.course_id, users=[u.rep_id for u in units])
    own = {u.assignment_id for u in units if u.assignment_id}
    groups: dict[str, GroupCount] = {}
    contaminated: set[int] = set()
    finished: dict[int, datetime] = {}
    for unit in units:
        count = groups.setdefault(unit.group, GroupCount(unit.group, release_on=unit.release_on))
        count.reps += 1
        count.released += unit.released_at is not None
        release = timezone.make_aware(datetime.combine(unit.release_on, datetime.min.time()))
        started, completed = progress.get(unit.rep_id, (None, None))
        other = [
            created
            for pk, created in reach.reaching(partner_id=unit.partner_id, team_id=unit.team_id, rep_id=unit.rep_id)
            if pk not in own and created < release
        ]
        if other or (started is not None and started < release):
            contaminated.add(unit.rep_id)
            count.contaminated += 1
        if completed is not None:
            count.finished += 1
            finished[unit.rep_id] = completed
    order = sorted(groups.values(), key=lambda g: (g.group != TREATMENT, g.group))
    return Enrolment(order, len(units), len(contaminated), contaminated, finished)


# --- Interim look and result --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    effect: float
    low: float
    high: float
    p_value: float | None
    n_reps: int
    n_clusters: int


def _estimate(result: ExperimentResult) -> Estimate:
    return Estimate(result.effect, result.ci_low, result.ci_high, result.p_value, result.n_reps, result.n_clusters)


def always_valid(result: ExperimentResult, *, tau: float, alpha: float = ALPHA) -> Estimate:
    """The normal-mixture confidence sequence around an estimate (see the module's docstring)."""
    from scipy import stats

    q = float(stats.t.ppf(0.5 + CONFIDENCE / 2, max(result.n_clusters - 1, 1)))
    se = (result.ci_high - result.ci_low) / 2 / q
    v, t2 = se**2, tau**2
    half = math.sqrt(v * (v + t2) / t2 * (math.log((v + t2) / v) + 2 * math.log(1 / alpha)))
    # The mixture is for a normal estimate; with few teams the fixed interval's t quantile is larger than the
    # normal's, and the sequence is widened in the same proportion so it never claims more than the end's.
    half *= max(1.0, q / float(stats.norm.ppf(0.5 + CONFIDENCE / 2)))
    return Estimate(result.effect, result.effect - half, result.effect + half, None, result.n_reps, result.n_clusters)


def experiment_interim(experiment: Experiment, *, today: date | None = None) -> Estimate | None:
    """While the period runs: the always-valid interval from the months so far (None when it cannot be estimated)."""
    last = month_add(month_of(today) if today else current_month(), -1)  # complete months only
    if last < experiment.start:
        return None
    frame = experiment_frame(experiment, last=last)
    try:
        result = analyze(frame, design=experiment.design, metric=experiment.metric)
    except AnalysisError:
        return None
    tau = experiment.planned_effect or 3.0
    return always_valid(result, tau=tau)


def experiment_is_over(experiment: Experiment, *, today: date | None = None) -> bool:
    """Whether the period's last month is complete."""
    return (month_of(today) if today else current_month()) >= experiment_end(experiment)


@dataclass
class AgencyEstimate:
    partner_id: int
    name: str
    estimate: Estimate | None


@dataclass
class Result:
    primary: Estimate | None
    problem: str = ""
    per_agency: list[AgencyEstimate] = field(default_factory=list)
    exploratory: list[tuple[str, Estimate | None]] = field(default_factory=list)
    compliance: float | None = None  # share of the reps given the course by the end who finished it
    given: int = 0
    iv: Estimate | None = None
    months: list[date] = field(default_factory=list)
    by_group: dict[str, list[float | None]] = field(default_factory=dict)  # monthly metric per arm or wave


def iv_effect(
    frame: pd.DataFrame, *, design: str, metric: str, start: date, end: date, done_month: dict[str, date]
) -> Estimate | None:
    """Two-stage least squares: metric on "finished the course" instrumented by "given it" (see the docstring).

    `done_month`: the month each rep (by the frame's rep column) finished the course; for a holdout, finishing
    counts when it happened before `end`; for waves, from the month it happened."""
    from linearmodels.iv import IV2SLS
    from scipy import stats

    spec = METRICS[metric]
    if design == Experiment.Design.HOLDOUT:
        post = frame[frame["month"] >= start]
        data = rep_metric(post, metric)
        given = (data["arm"] == TREATMENT).to_numpy(dtype=float)
        took = np.array([rep in done_month and done_month[rep] < end for rep in data["rep"]], dtype=float) * given
        y = data["y"].to_numpy(dtype=float)
        exog = np.ones((len(y), 1))
        endog, instrument, teams = took[:, None], given[:, None], pd.factorize(data["team"])[0]
    else:
        import pyhdfe

        if spec.denominator is not None:
            frame = frame[frame[spec.denominator] > 0]
            y = 100.0 * frame[spec.numerator].to_numpy(dtype=float) / frame[spec.denominator].to_numpy(dtype=float)
        else:
            y = frame[spec.numerator].to_numpy(dtype=float)
        months = frame["month"].to_numpy()
        given = np.array([w is not None and m >= w for w, m in zip(frame["wave"], months, strict=True)], dtype=float)
        took = np.array(
            [r in done_month and m >= done_month[r] for r, m in zip(frame["rep"], months, strict=True)], dtype=float
        )
        took = took * given
        ids = np.column_stack([pd.factorize(frame["rep"])[0], pd.factorize(frame["month"])[0]])
        absorbed = pyhdfe.create(ids, drop_singletons=False).residualize(np.column_stack([y, took, given]))
        y, endog, instrument = absorbed[:, 0], absorbed[:, 1:2], absorbed[:, 2:3]
        exog, teams = None, pd.factorize(frame["team"])[0]
    n_clusters = int(teams.max()) + 1 if len(teams) else 0
    if n_clusters < 2 or float(np.abs(endog).sum()) == 0:
        return None
    try:
        fit = IV2SLS(y, exog, endog, instrument).fit(cov_type="clustered", clusters=teams, debiased=True)
    except (ValueError, np.linalg.LinAlgError):
        return None
    effect, se = float(np.asarray(fit.params)[-1]), float(np.asarray(fit.std_errors)[-1])
    if not math.isfinite(se) or se <= 0:
        return None
    se *= math.sqrt(n_clusters / (n_clusters - 1))  # CR1's factor for the number of teams, as the primary's errors
    q = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n_clusters - 1))
    p = float(2 * stats.t.sf(abs(effect / se), n_clusters - 1))
    return Estimate(effect, effect - q * se, effect + q * se, p, int(frame["rep"].nunique()), n_clusters)


def _by_group(
    frame: pd.DataFrame, experiment: Experiment, units: list[ExperimentUnit]
) -> tuple[list[date], dict[str, list[float | None]]]:
    spec = METRICS[experiment.metric]
    group = {str(u.rep_id): u.group for u in units}
    months = sorted(set(frame["month"]))
    data = frame.assign(group=frame["rep"].map(group))
    sums = data.groupby(["group", "month"])[[spec.numerator] + ([spec.denominator] if spec.denominator else [])].sum()
    out: dict[str, list[float | None]] = {}
    for name in sorted(set(group.values()), key=lambda g: (g != TREATMENT, g)):
        values: list[float | None] = []
        for month in months:
            if (name, month) not in sums.index:
                values.append(None)
                continue
            row = sums.loc[(name, month)]
            if spec.denominator is None:
                values.append(float(row[spec.numerator]))
            else:
                d = float(row[spec.denominator])
                values.append(100 * float(row[spec.numerator]) / d if d else None)
        out[name] = values
    return months, out


def experiment_result(experiment: Experiment) -> Result:
    """The result at the end: the pre-registered estimate, per agency, the other metric (exploratory), compliance
    and the instrumental-variables effect of finishing the course, and the monthly metric per arm or wave."""
    units = experiment_units(experiment)
    frame = experiment_frame(experiment, units=units)
    try:
        primary = _estimate(analyze(frame, design=experiment.design, metric=experiment.metric))
    except AnalysisError as exc:
        return Result(None, problem="; ".join(exc.problems))
    result = Result(primary)
    names = dict(experiment.partners.values_list("pk", "name"))
    for partner_id, name in sorted(names.items(), key=lambda item: item[1]):
        part = frame[frame["agency"] == f"agency:{partner_id}"]
        try:
            estimate = _estimate(analyze(part, design=experiment.design, metric=experiment.metric))
        except AnalysisError:
            estimate = None
        result.per_agency.append(AgencyEstimate(partner_id, name, estimate))
    for other in ("appointment_rate", "close_rate"):
        if other != experiment.metric:
            try:
                result.exploratory.append((other, _estimate(analyze(frame, design=experiment.design, metric=other))))
            except AnalysisError:
                result.exploratory.append((other, None))
    enrolment = experiment_enrolment(experiment, units=units)
    end = timezone.make_aware(datetime.combine(experiment_end(experiment), datetime.min.time()))
    given = [u for u in units if u.release_on < experiment_end(experiment)]
    result.given = len(given)
    if given:
        done = sum(1 for u in given if u.rep_id in enrolment.finished_reps and enrolment.finished_reps[u.rep_id] < end)
        result.compliance = done / len(given)
    result.iv = iv_effect(
        frame,
        design=experiment.design,
        metric=experiment.metric,
        start=experiment.start,
        end=experiment_end(experiment),
        done_month={str(r): month_of(timezone.localtime(at)) for r, at in enrolment.finished_reps.items() if at < end},
    )
    result.months, result.by_group = _by_group(frame, experiment, units)
    return result


def experiments_list() -> list[Experiment]:
    return list(Experiment.objects.select_related("course__latest_version").prefetch_related("partners"))


def access_experiment_for_user(user: Any, experiment_id: Any) -> Experiment:
    """An experiment the person may read: principal staff see every one; anyone else gets a 404."""
    from django.http import Http404

    from kizuna.orgs.access import membership_of

    m = membership_of(user)
    try:
        pk = int(experiment_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if m is None or not m.is_principal_staff:
        raise Http404
    experiment = Experiment.objects.select_related("course__latest_version").filter(pk=pk).first()
    if experiment is None:
        raise Http404
    return experiment


def experiment_replay(experiment: Experiment) -> bool:
    """Whether drawing again from the stored strata and seed gives every rep the group stored (the audit)."""
    from .services import ExperimentDesign, experiment_draw

    units = experiment_units(experiment)
    design = ExperimentDesign(
        metric=experiment.metric,
        design=experiment.design,
        start=experiment.start,
        period=experiment.months,
        held_out=experiment.held_out,
        waves=experiment.waves,
        spacing=experiment.spacing,
    )
    groups = experiment_draw(strata=[u.stratum for u in units], design=design, seed=experiment.seed)
    return groups == [u.group for u in units]


def experiment_by_id(experiment_id: int) -> Experiment | None:
    """An experiment by id, for commands (no person's access applies)."""
    return Experiment.objects.select_related("course__latest_version", "started_by").filter(pk=experiment_id).first()
