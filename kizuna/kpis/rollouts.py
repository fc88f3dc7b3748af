"""Reads of the experiments run in Kizuna (a course rolled out at random): the figures, enrolment, contamination,
the interim look and the result.

- **Data**: the drawn reps' sales figures per month (products summed) from `PRIOR_MONTHS` months before the start
  to the period's last month, as the CSV contract's frame (`experiments.COLUMNS`): holdout reps carry their arm
  (the treatment arm's `wave` is the start), waves reps the month of their wave.
- **Primary result** (pre-registered at start): `experiments.analyze` with the experiment's design, metric and
  estimator version (`estimator_version`: the one current when it started), intention to treat (every rep in
  the arm or wave the draw gave them, contaminated or not).
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
- **Staggered rollouts** (waves): besides the pre-registered two-way fixed effects, the Callaway–Sant'Anna
  difference in differences with not-yet-trained reps as controls, its event study and pre-trend check
  (`staggered.py`), which stays unbiased when the effect grows or fades with the months since training.
- **Stored**: the result (and the interim look) is computed once and stored, keyed by the analysis version and the
  data watermark (`experiment_reading_key`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from django.db import IntegrityError
from django.db.models import Count, Max
from django.utils import timezone

from .experiments import (
    COLUMNS,
    CONFIDENCE,
    METRICS,
    TREATMENT,
    AnalysisError,
    ExperimentResult,
    analyze,
    month_numbers,
    rep_metric,
    trained_by_month,
)
from .models import Experiment, ExperimentReading, ExperimentUnit, SalesFigure
from .periods import current_month, month_add, month_of
from .staggered import Staggered, staggered_did

PRIOR_MONTHS = 3
ALPHA = 0.05


def _figures(*, partner_ids: Sequence[int], first: date, last: date) -> pd.DataFrame:
    """Sales figures of these agencies from `first` to `last` (months), products summed: rep_id, month, counts."""
    from .selectors import figure_rows

    return figure_rows(
        SalesFigure.objects.filter(partner_id__in=list(partner_ids), period__gte=first, period__lte=last)
        .order_by()
        .values_list("rep_id", "period", "calls", "appointments", "deals")
    )


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


def estimator_version(experiment: Experiment) -> int:
    """The estimator version the experiment registered at its start (`experiments.ESTIMATOR_VERSION` then); 1 for
    experiments started before versions were stored. Its readings always use it, whatever the current version."""
    return int((experiment.preregistration or {}).get("estimator_version", 1))


def experiment_end(experiment: Experiment) -> date:
    """The first month after the period."""
    return month_add(experiment.start, experiment.months)


def experiment_units(experiment: Experiment) -> list[ExperimentUnit]:
    return list(experiment.units.order_by("position"))


UNIT_COLUMNS = ("rep_id", "partner_id", "team_id", "group", "release_on", "released_at", "assignment_id", "stratum")


def experiment_unit_table(experiment: Experiment) -> pd.DataFrame:
    """The drawn reps as columns (`UNIT_COLUMNS`, in draw order): one query, no model instances (10,000s of reps)."""
    rows = experiment.units.order_by("position").values_list(*UNIT_COLUMNS)
    return pd.DataFrame(list(rows), columns=list(UNIT_COLUMNS))


def _rep_columns(experiment: Experiment, units: pd.DataFrame) -> pd.DataFrame:
    """Per drawn rep (indexed by rep id): the frame's team, agency, arm and wave columns."""
    reps = units["rep_id"].astype("int64")
    team = np.where(
        units["team_id"].notna(),
        "team:" + units["team_id"].astype("Int64").astype(str),
        "rep:" + reps.astype(str),
    )
    holdout = experiment.design == Experiment.Design.HOLDOUT
    if holdout:
        wave = np.where(units["group"] == TREATMENT, experiment.start, None)
    else:
        wave = units["release_on"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "team": team,
            "agency": "agency:" + units["partner_id"].astype(str),
            "arm": units["group"].to_numpy() if holdout else "",
            "wave": pd.Series(wave, dtype=object).to_numpy(),
        },
        index=pd.Index(reps.to_numpy(), name="rep_id"),
    )


def experiment_frame(
    experiment: Experiment, *, units: pd.DataFrame | None = None, last: date | None = None
) -> pd.DataFrame:
    """The drawn reps' rep-month figures (the CSV contract's columns) from the baseline to the period's end
    (or `last`, if earlier)."""
    units = units if units is not None else experiment_unit_table(experiment)
    end = month_add(experiment_end(experiment), -1)
    last = min(end, last) if last else end
    partner_ids = list(experiment.partners.values_list("pk", flat=True))
    rows = _figures(partner_ids=partner_ids, first=month_add(experiment.start, -PRIOR_MONTHS), last=last)
    if rows.empty or units.empty:
        return pd.DataFrame([], columns=list(COLUMNS))
    per_rep = _rep_columns(experiment, units)
    rows = rows[rows["rep_id"].isin(per_rep.index)]
    ids = rows["rep_id"].to_numpy(dtype="int64")
    at = per_rep.index.get_indexer(ids)

    def labels(values: np.ndarray) -> pd.Categorical:
        # Categories of the per-rep labels, codes per row: every estimator factorizes these columns, and codes
        # are factorized without hashing 100,000s of strings again.
        codes, uniques = pd.factorize(values)
        return pd.Categorical.from_codes(codes[at], categories=uniques)

    return pd.DataFrame(
        {
            "rep": labels(per_rep.index.to_numpy().astype(str)),
            "team": labels(per_rep["team"].to_numpy()),
            "agency": labels(per_rep["agency"].to_numpy()),
            "arm": per_rep["arm"].to_numpy()[at],
            "wave": per_rep["wave"].to_numpy()[at],
            "month": rows["month"].to_numpy(),
            "calls": rows["calls"].to_numpy(dtype="int64"),
            "appointments": rows["appointments"].to_numpy(dtype="int64"),
            "closed": rows["closed"].to_numpy(dtype="int64"),
        },
        columns=list(COLUMNS),
    )


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


def _month_start(month: date) -> datetime:
    return timezone.make_aware(datetime.combine(month, datetime.min.time()))


def experiment_enrolment(experiment: Experiment, *, units: pd.DataFrame | None = None) -> Enrolment:
    """Per arm or wave: reps drawn, given the content, finished it, and contaminated — reps who reached it before
    their release month (another assignment or audience reaching them, or using it earlier): the rollout kind's
    `reach` and `exposure` (`catalog.rollouts`)."""
    from kizuna.catalog.rollouts import rollout_kind

    rollout = rollout_kind(experiment.kind)
    units = units if units is not None else experiment_unit_table(experiment)
    partner_ids = list(experiment.partners.values_list("pk", flat=True))
    reach = rollout.reach(experiment.content_id or 0, partner_ids)
    progress = rollout.exposure(experiment.content_id or 0, experiment.units.values("rep_id"))
    own = {int(a) for a in units["assignment_id"].dropna()}
    starts = {month: _month_start(month) for month in set(units["release_on"])}  # a few waves, not one per rep
    groups: dict[str, GroupCount] = {}
    contaminated: set[int] = set()
    finished: dict[int, datetime] = {}
    columns = [units[c].tolist() for c in ("rep_id", "partner_id", "team_id", "group", "release_on")]
    columns.append(units["released_at"].notna().tolist())
    for rep_id, partner_id, team_id, group, release_on, released in zip(*columns, strict=True):
        team_id = None if team_id is None or team_id != team_id else int(team_id)  # NaN: no team
        count = groups.setdefault(group, GroupCount(group, release_on=release_on))
        count.reps += 1
        count.released += released
        release = starts[release_on]
        started, completed = progress.get(rep_id, (None, None))
        early = started is not None and started < release
        if not early:
            early = any(
                pk not in own and created < release
                for pk, created in reach.reaching(partner_id=partner_id, team_id=team_id, rep_id=rep_id)
            )
        if early:
            contaminated.add(rep_id)
            count.contaminated += 1
        if completed is not None:
            count.finished += 1
            finished[rep_id] = completed
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
        result = analyze(
            frame, design=experiment.design, metric=experiment.metric, version=estimator_version(experiment)
        )
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
    agencies_left_out: int = 0  # agencies past MAX_AGENCY_ESTIMATES, without an estimate of their own
    staggered: Staggered | None = None  # waves: Callaway–Sant'Anna difference in differences (staggered.py)


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
        took = (month_numbers(data["rep"].map(done_month)) < month_numbers([end])[0]).astype(float) * given
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
        given = trained_by_month(frame)
        took = (month_numbers(frame["month"]) >= month_numbers(frame["rep"].map(done_month))).astype(float) * given
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
    frame: pd.DataFrame, metric: str, units: pd.DataFrame
) -> tuple[list[date], dict[str, list[float | None]]]:
    """The metric of each arm or wave per month (sums over its reps), months oldest first."""
    spec = METRICS[metric]
    group = pd.Series(units["group"].to_numpy(), index=units["rep_id"].astype(str).to_numpy())
    columns = [spec.numerator] + ([spec.denominator] if spec.denominator else [])
    sums = frame.assign(group=frame["rep"].map(group)).groupby(["group", "month"])[columns].sum()
    numerator = sums[spec.numerator].unstack("month")
    if spec.denominator is None:
        table = numerator
    else:
        denominator = sums[spec.denominator].unstack("month")
        table = 100 * numerator / denominator.where(denominator > 0)
    months = sorted(set(frame["month"]))
    table = table.reindex(columns=months)
    out: dict[str, list[float | None]] = {}
    for name in sorted(set(units["group"]), key=lambda g: (g != TREATMENT, g)):
        values = table.loc[name].tolist() if name in table.index else [math.nan] * len(months)
        out[name] = [None if v is None or not math.isfinite(v) else float(v) for v in values]
    return months, out


# At most this many agencies get their own estimate: each is a fixed-effects fit, and a table of more is not read.
MAX_AGENCY_ESTIMATES = 40


def experiment_result(
    experiment: Experiment, *, units: pd.DataFrame | None = None, finished: dict[int, datetime] | None = None
) -> Result:
    """The result at the end: the pre-registered estimate, per agency, the other metric (exploratory), compliance
    and the instrumental-variables effect of finishing the course, and the monthly metric per arm or wave.

    `finished`: when each drawn rep finished the course (`Enrolment.finished_reps`), if read already."""
    units = units if units is not None else experiment_unit_table(experiment)
    frame = experiment_frame(experiment, units=units)
    version = estimator_version(experiment)
    try:
        primary = _estimate(analyze(frame, design=experiment.design, metric=experiment.metric, version=version))
    except AnalysisError as exc:
        return Result(None, problem="; ".join(exc.problems))
    result = Result(primary)
    names = dict(experiment.partners.values_list("pk", "name"))
    parts = dict(tuple(frame.groupby("agency", sort=False, observed=True))) if len(names) > 1 else {}
    for partner_id, name in sorted(names.items(), key=lambda item: item[1])[:MAX_AGENCY_ESTIMATES]:
        if len(names) == 1:
            estimate: Estimate | None = primary
        else:
            try:
                part = parts.get(f"agency:{partner_id}", frame.iloc[:0])
                estimate = _estimate(analyze(part, design=experiment.design, metric=experiment.metric, version=version))
            except AnalysisError:
                estimate = None
        result.per_agency.append(AgencyEstimate(partner_id, name, estimate))
    result.agencies_left_out = max(0, len(names) - MAX_AGENCY_ESTIMATES)
    for other in ("appointment_rate", "close_rate"):
        if other != experiment.metric:
            try:
                estimate = _estimate(analyze(frame, design=experiment.design, metric=other, version=version))
                result.exploratory.append((other, estimate))
            except AnalysisError:
                result.exploratory.append((other, None))
    end_month = experiment_end(experiment)
    end = _month_start(end_month)
    if finished is None:
        finished = experiment_finished(experiment)
    finished = {rep: at for rep, at in finished.items() if at < end}
    given = units[units["release_on"] < end_month]
    result.given = len(given)
    if len(given):
        result.compliance = float(given["rep_id"].isin(list(finished)).sum()) / len(given)
    result.iv = iv_effect(
        frame,
        design=experiment.design,
        metric=experiment.metric,
        start=experiment.start,
        end=end_month,
        done_month={str(r): month_of(timezone.localtime(at)) for r, at in finished.items()},
    )
    result.months, result.by_group = _by_group(frame, experiment.metric, units)
    if experiment.design == Experiment.Design.WAVES:
        result.staggered = staggered_did(frame, metric=experiment.metric)
    return result


def experiment_finished(experiment: Experiment) -> dict[int, datetime]:
    """When each drawn rep finished the content (those who did): the rollout kind's `exposure`."""
    from kizuna.catalog.rollouts import rollout_kind

    progress = rollout_kind(experiment.kind).exposure(experiment.content_id or 0, experiment.units.values("rep_id"))
    return {rep: done for rep, (_started, done) in progress.items() if done is not None}


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


def experiment_replay(experiment: Experiment, *, units: pd.DataFrame | None = None) -> bool:
    """Whether drawing again from the stored strata and seed gives every rep the group stored (the audit)."""
    from .services import ExperimentDesign, experiment_draw

    units = units if units is not None else experiment_unit_table(experiment)
    design = ExperimentDesign(
        metric=experiment.metric,
        design=experiment.design,
        start=experiment.start,
        period=experiment.months,
        held_out=experiment.held_out,
        waves=experiment.waves,
        spacing=experiment.spacing,
    )
    groups = experiment_draw(strata=units["stratum"].tolist(), design=design, seed=experiment.seed)
    return groups == units["group"].tolist()


def experiment_by_id(experiment_id: int) -> Experiment | None:
    """An experiment by id, for commands (no person's access applies)."""
    return Experiment.objects.select_related("course__latest_version", "started_by").filter(pk=experiment_id).first()


# --- Stored readings ---------------------------------------------------------------------------------------------

# Raise when an estimator or the stored shape changes: every stored reading is then recomputed on its next view.
ANALYSIS_VERSION = 3


def experiment_reading_key(experiment: Experiment, *, last: date, finished: dict[int, datetime] | None) -> str:
    """The hash a stored reading is valid for: the analysis version, the experiment's pre-registered design and its
    agencies, the last month read, and the data watermark — the count and latest change of the sales figures in
    the window (an added, changed or deleted figure moves one of them) and, for the result, when each drawn rep
    finished the course."""
    partner_ids = sorted(experiment.partners.values_list("pk", flat=True))
    figures = SalesFigure.objects.filter(
        partner_id__in=partner_ids, period__gte=month_add(experiment.start, -PRIOR_MONTHS), period__lte=last
    ).aggregate(n=Count("pk"), at=Max("updated_at"))
    digest = hashlib.sha256()
    parts = [
        ANALYSIS_VERSION,
        experiment.pk,
        experiment.design,
        experiment.metric,
        experiment.start,
        experiment.months,
        partner_ids,
        experiment.units.count(),
        last,
        figures["n"],
        figures["at"],
    ]
    digest.update(json.dumps(parts, default=str).encode())
    for rep, at in sorted((finished or {}).items()):
        digest.update(f"{rep}:{at.isoformat()};".encode())
    return digest.hexdigest()


def _estimate_json(estimate: Estimate | None) -> list[Any] | None:
    if estimate is None:
        return None
    return [estimate.effect, estimate.low, estimate.high, estimate.p_value, estimate.n_reps, estimate.n_clusters]


def _estimate_from(value: list[Any] | None) -> Estimate | None:
    return None if value is None else Estimate(*value)


def result_json(result: Result) -> dict[str, Any]:
    """The result as JSON (floats, lists, ISO months) for storing."""
    return {
        "primary": _estimate_json(result.primary),
        "problem": result.problem,
        "per_agency": [[a.partner_id, a.name, _estimate_json(a.estimate)] for a in result.per_agency],
        "agencies_left_out": result.agencies_left_out,
        "exploratory": [[name, _estimate_json(e)] for name, e in result.exploratory],
        "compliance": result.compliance,
        "given": result.given,
        "iv": _estimate_json(result.iv),
        "months": [m.isoformat() for m in result.months],
        "by_group": result.by_group,
        "staggered": result.staggered.as_json() if result.staggered else None,
    }


def result_from_json(data: dict[str, Any]) -> Result:
    return Result(
        primary=_estimate_from(data["primary"]),
        problem=data["problem"],
        per_agency=[AgencyEstimate(pk, name, _estimate_from(e)) for pk, name, e in data["per_agency"]],
        agencies_left_out=data["agencies_left_out"],
        exploratory=[(name, _estimate_from(e)) for name, e in data["exploratory"]],
        compliance=data["compliance"],
        given=data["given"],
        iv=_estimate_from(data["iv"]),
        months=[date.fromisoformat(m) for m in data["months"]],
        by_group=data["by_group"],
        staggered=Staggered.from_json(data["staggered"]) if data.get("staggered") else None,
    )


def _stored(
    experiment: Experiment, *, kind: str, key: str, compute: Callable[[], dict[str, Any]]
) -> tuple[dict[str, Any], bool]:
    """The stored payload of this kind when its key matches, else computed now and stored; and whether it was read back."""
    row = ExperimentReading.objects.filter(experiment=experiment, kind=kind).only("key", "payload").first()
    if row is not None and row.key == key:
        return row.payload, True
    started = time.perf_counter()
    payload = _finite(compute())
    with contextlib.suppress(IntegrityError):  # another request stored the same reading first
        ExperimentReading.objects.update_or_create(
            experiment=experiment,
            kind=kind,
            defaults={
                "key": key,
                "payload": payload,
                "seconds": time.perf_counter() - started,
                "computed_at": timezone.now(),
            },
        )
    return payload, False


def _finite(value: Any) -> Any:
    """The payload with NaN and infinities as None: JSON (and PostgreSQL's jsonb) has no such numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def experiment_result_stored(
    experiment: Experiment, *, units: pd.DataFrame | None = None, finished: dict[int, datetime] | None = None
) -> tuple[Result, bool]:
    """`experiment_result`, computed once and stored until the figures, the completions or the analysis change;
    and whether it was read back (True) or computed now."""
    finished = finished if finished is not None else experiment_finished(experiment)
    end = _month_start(experiment_end(experiment))
    before_end = {rep: at for rep, at in finished.items() if at < end}
    key = experiment_reading_key(experiment, last=month_add(experiment_end(experiment), -1), finished=before_end)
    payload, hit = _stored(
        experiment,
        kind=ExperimentReading.Kind.RESULT,
        key=key,
        compute=lambda: result_json(experiment_result(experiment, units=units, finished=before_end)),
    )
    return result_from_json(payload), hit


def experiment_interim_stored(experiment: Experiment, *, today: date | None = None) -> tuple[Estimate | None, bool]:
    """`experiment_interim`, stored until a figure of the months read changes or another month completes; and
    whether it was read back."""
    last = month_add(month_of(today) if today else current_month(), -1)
    if last < experiment.start:
        return None, True
    key = experiment_reading_key(experiment, last=last, finished=None)
    payload, hit = _stored(
        experiment,
        kind=ExperimentReading.Kind.INTERIM,
        key=key,
        compute=lambda: {"estimate": _estimate_json(experiment_interim(experiment, today=today))},
    )
    return _estimate_from(payload["estimate"]), hit


def experiment_readings_refresh(*, today: date | None = None) -> int:
    """Store the reading of every experiment whose stored one is missing or out of date (the result of ended ones,
    the interim look of running ones); return how many were computed."""
    computed = 0
    for experiment in Experiment.objects.order_by("pk"):
        if experiment_is_over(experiment, today=today):
            hit = experiment_result_stored(experiment)[1]
        else:
            hit = experiment_interim_stored(experiment, today=today)[1]
        computed += not hit
    return computed
