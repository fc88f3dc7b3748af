"""The analysis of a training rollout run as an experiment: a holdout or staggered waves (stepped wedge).

Input is one row per rep and month (`ExperimentRow`): the rep's team and agency, their arm (holdout) or the
month they got the training (waves; none = never), and the month's calls, appointments and deals ("closed").
Estimates are from statsmodels and linearmodels; nothing here is a hand-written estimator.

- **Holdout** (`design="holdout"`): each rep's metric over the post-period months (sums of the numerator ÷
  sums of the denominator, so a rep counts once whatever their calls), then the difference treatment − control
  by OLS on an arm indicator with team fixed effects (the draw is stratified within teams), cluster-robust
  standard errors by team and a t distribution with (teams − 1) degrees of freedom. The post-period is every
  month from the earliest training month in the `wave` column of the treatment arm; when no wave is given,
  every month in the input.
- **Waves** (`design="waves"`): a rep-month panel of the metric, regressed on "trained by this month"
  (month ≥ wave) with rep and month fixed effects (two-way fixed effects), standard errors clustered by team,
  t with (teams − 1) degrees of freedom. With randomly ordered waves and an effect that does not grow with
  time since training this is unbiased; an effect that builds up over months is averaged with weights that
  favour early months (the staggered-adoption caveat).

**Estimator versions.** An experiment keeps the version it was started with (its preregistration's
`estimator_version`; none stored = 1); the command and new experiments use `ESTIMATOR_VERSION`.

- **1**: holdout without team effects; both designs with statsmodels' CR1 errors, whose small-sample factor
  G/(G − 1) · (N − 1)/(N − K) counts only the arm (or trained) indicator and the constant in K (as Stata's
  reghdfe, for effects nested in the clusters). Over 4,000 simulated null holdouts of 30 teams it reported an
  effect in 5.2 % of them (95 % interval 4.5–5.9 %): the 95 % quantile of |t| was 2.061, against 2.045 for
  t(29).
- **2** (current): the holdout adds team fixed effects, and in both designs K counts every effect of the
  regression (the arm or trained indicator and the team, or rep and month, effects): exactly the errors
  statsmodels gives for the regression written with every dummy (tested). The rep-level errors are the same;
  the standard error is larger by √((N − 2)/(N − G − 1)) for a holdout (about 7 % with 8 reps a team) and
  √((N − 1)/(N − reps − months)) for waves (about 6 % with 10 months; under 3 % with 24). CR2
  (Bell–McCaffrey) and the cluster jackknife (CR3) were tried and gave the same p-values as CR1 to three
  digits in these designs (balanced draws within teams), so they cannot lower the false positives;
  randomization inference and the wild cluster bootstrap are exact at 5 % and so, over any number of
  simulated nulls, land above 5 % about half the time. Version 2 is slightly conservative instead: over the
  same 4,000 null holdouts it reported an effect in 3.9 % (3.3–4.5 %), and in 4.1 % of 2,000 null waves
  experiments (3.2–5.0 %), while its 95 % intervals still cover a planted effect in 93–97 % of runs (`tests/test_experiments.py`, `bench/experiments_simulation.py`).

Rates are in percent, so effects are in percentage points; count metrics (calls, appointments, closed) are per
rep and month. A rep whose denominator is 0 over the period (no calls, for the appointment rate) has no rate
and is left out.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy import stats

from .periods import parse_month

COLUMNS = ("rep", "team", "agency", "arm", "wave", "month", "calls", "appointments", "closed")
ESTIMATOR_VERSION = 2  # the version new experiments and the command use (see the module's docstring)
ESTIMATOR_VERSIONS = (1, 2)
DESIGNS = ("holdout", "waves")
TREATMENT = "treatment"
CONTROL = "control"
CONFIDENCE = 0.95
MAX_COUNT = 20_000  # per rep and month, as the KPI import (services.MAXIMA)
MAX_ERRORS = 20


@dataclass(frozen=True)
class MetricSpec:
    numerator: str
    denominator: str | None  # None: a count per rep and month
    label: str


METRICS: dict[str, MetricSpec] = {
    "appointment_rate": MetricSpec("appointments", "calls", "appointment rate (appointments ÷ calls, %)"),
    "close_rate": MetricSpec("closed", "appointments", "close rate (closed ÷ appointments, %)"),
    "calls": MetricSpec("calls", None, "calls per rep and month"),
    "appointments": MetricSpec("appointments", None, "appointments per rep and month"),
    "closed": MetricSpec("closed", None, "deals closed per rep and month"),
}


class AnalysisError(ValueError):
    """Input that cannot be analysed; `problems` lists each one (with its line for a CSV)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class ExperimentRow:
    rep: str
    team: str
    agency: str
    arm: str  # "treatment" / "control" for a holdout, "" otherwise
    wave: date | None  # the month the rep got the training; None = never (or not given)
    month: date
    calls: int
    appointments: int
    closed: int


@dataclass(frozen=True)
class ExperimentResult:
    effect: float
    ci_low: float
    ci_high: float
    p_value: float
    n_reps: int
    n_clusters: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "effect": round(self.effect, 6),
            "ci_low": round(self.ci_low, 6),
            "ci_high": round(self.ci_high, 6),
            "p_value": float(f"{self.p_value:.4g}"),  # 4 significant digits: a tiny p is not 0
            "n_reps": self.n_reps,
            "n_clusters": self.n_clusters,
        }


# -- randomization --------------------------------------------------------------------------------------


def assign(strata: Sequence[str], groups: dict[str, float], rng: np.random.Generator) -> list[str]:
    """Randomize units to groups (arm or wave -> share) within each stratum, as balanced as the stratum allows.

    In a stratum of k units each group gets floor(share × k) units; the units left over go to groups drawn
    without replacement with odds ∝ the fractional parts, so each group's expected share is its share. The result
    depends only on the strata, the shares and the generator (seeded: replayable).
    """
    names = list(groups)
    shares = np.array([groups[name] for name in names], dtype=float)
    if len(names) == 0 or (shares < 0).any() or shares.sum() <= 0:
        raise AnalysisError(["the groups need positive shares"])
    shares = shares / shares.sum()
    by_stratum: dict[str, list[int]] = {}
    for index, stratum in enumerate(strata):
        by_stratum.setdefault(stratum, []).append(index)
    out = [""] * len(strata)
    for stratum in sorted(by_stratum):
        units = by_stratum[stratum]
        exact = shares * len(units)
        counts = np.floor(exact).astype(int)
        left = len(units) - int(counts.sum())
        if left:
            fraction = exact - counts
            odds = fraction / fraction.sum() if fraction.sum() > 0 else shares
            counts[rng.choice(len(names), size=left, replace=False, p=odds)] += 1
        deck = np.repeat(np.arange(len(names)), counts)
        rng.shuffle(deck)
        for unit, group in zip(units, deck, strict=True):
            out[unit] = names[group]
    return out


# -- reading ---------------------------------------------------------------------------------------------


def _count(value: str, column: str, line: int, problems: list[str]) -> int:
    text = value.strip().replace(",", "")
    try:
        number = int(text)
    except ValueError:
        problems.append(f"line {line}, column {column}: {value!r} is not a whole number")
        return 0
    if not 0 <= number <= MAX_COUNT:
        problems.append(f"line {line}, column {column}: {number} is outside 0…{MAX_COUNT:,}")
    return number


def read_csv(text: str) -> list[ExperimentRow]:
    """Read and check the whole CSV; any problem refuses it all (`AnalysisError`, each problem with its line)."""
    try:
        return _read_csv(text)
    except csv.Error as exc:  # NUL bytes, a field past the csv module's limit
        raise AnalysisError([f"not a readable CSV: {exc}"]) from None


def _read_csv(text: str) -> list[ExperimentRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if not header:
        raise AnalysisError(["the file is empty: the first line must name the columns " + ",".join(COLUMNS)])
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise AnalysisError([f"missing column(s): {', '.join(missing)} (expected {','.join(COLUMNS)})"])
    reader.fieldnames = header
    rows: list[ExperimentRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, date], int] = {}
    per_rep: dict[str, tuple[str, str, str, date | None, int]] = {}
    for record in reader:
        line = reader.line_num
        if len(problems) >= MAX_ERRORS:
            break
        if None in record:
            problems.append(f"line {line}: more fields than columns")
            continue
        values = {name: (record.get(name) or "").strip() for name in COLUMNS}
        if not any(values.values()):
            continue
        for name in ("rep", "team", "month"):
            if not values[name]:
                problems.append(f"line {line}, column {name}: empty")
        month = parse_month(values["month"]) if values["month"] else None
        if values["month"] and month is None:
            problems.append(f"line {line}, column month: {values['month']!r} is not a month (write 2026-10)")
        wave = parse_month(values["wave"]) if values["wave"] else None
        if values["wave"] and wave is None:
            problems.append(f"line {line}, column wave: {values['wave']!r} is not a month (write 2026-10)")
        arm = values["arm"].lower()
        if arm not in ("", TREATMENT, CONTROL):
            problems.append(f"line {line}, column arm: {values['arm']!r} is neither treatment nor control")
        calls = _count(values["calls"], "calls", line, problems)
        appointments = _count(values["appointments"], "appointments", line, problems)
        closed = _count(values["closed"], "closed", line, problems)
        if appointments > calls:
            problems.append(f"line {line}: appointments ({appointments}) exceed calls ({calls})")
        if closed > appointments:
            problems.append(f"line {line}: closed ({closed}) exceed appointments ({appointments})")
        if not values["rep"] or month is None:
            continue
        key = (values["rep"], month)
        if key in seen:
            problems.append(f"line {line}: rep {values['rep']} and month {month:%Y-%m} already on line {seen[key]}")
            continue
        seen[key] = line
        identity = (values["team"], values["agency"], arm, wave, line)
        first = per_rep.setdefault(values["rep"], identity)
        if first[:4] != identity[:4]:
            problems.append(
                f"line {line}: rep {values['rep']} has another team, agency, arm or wave than on line {first[4]}"
            )
        rows.append(
            ExperimentRow(
                values["rep"], values["team"], values["agency"], arm, wave, month, calls, appointments, closed
            )
        )
    if problems:
        raise AnalysisError(problems[:MAX_ERRORS])
    if not rows:
        raise AnalysisError(["no rows: the file has a header but no figures"])
    return rows


# -- analysis --------------------------------------------------------------------------------------------


def _interval(value: float, se: float, df: int, *, confidence: float) -> tuple[float, float, float]:
    if not math.isfinite(se) or se <= 0:
        raise AnalysisError(["the effect's standard error cannot be estimated (no variation between reps)"])
    q = float(stats.t.ppf(0.5 + confidence / 2, df))
    p = float(2 * stats.t.sf(abs(value / se), df))
    return value - q * se, value + q * se, p


def frame(rows: Iterable[ExperimentRow]) -> pd.DataFrame:
    """The rows as a DataFrame with the CSV's columns (months and waves as dates of their first day)."""
    return pd.DataFrame(
        [(r.rep, r.team, r.agency, r.arm, r.wave, r.month, r.calls, r.appointments, r.closed) for r in rows],
        columns=list(COLUMNS),
    )


def _codes(column: pd.Series, keep: np.ndarray | None = None) -> np.ndarray:
    """The column's values as codes 0, 1, … (of the rows kept, numbered again so that none is missing)."""
    codes = pd.factorize(column, sort=False)[0]  # a categorical's own codes: no hashing of its labels
    return codes if keep is None else pd.factorize(codes[keep], sort=False)[0]


NEVER = np.iinfo(np.int64).max  # the month number of "never" (no training)


def month_numbers(values: pd.Series | Sequence[date | None]) -> np.ndarray:
    """Months (dates, or None for never) as year × 12 + month − 1, so they compare as integers; None is `NEVER`.

    Each distinct month is converted once: a rep-month panel has a few dozen months in 100,000s of rows."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=False, use_na_sentinel=True)
    table = np.array([d.year * 12 + d.month - 1 for d in uniques], dtype=np.int64)
    out = np.full(len(codes), NEVER, dtype=np.int64)
    known = codes >= 0
    out[known] = table[codes[known]]
    return out


def trained_by_month(df: pd.DataFrame) -> np.ndarray:
    """Per row, whether the rep had been given the training by that month (month ≥ wave), as 0.0 / 1.0."""
    return (month_numbers(df["month"]) >= month_numbers(df["wave"])).astype(float)


def rep_metric(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per rep: team, agency, arm and the metric over all the rows given (no rate when the denominator is 0).

    Rates are sums of the numerator ÷ sums of the denominator × 100; counts are the mean per month.
    """
    spec = METRICS[metric]
    codes, reps = pd.factorize(df["rep"], sort=False)
    first = np.unique(codes, return_index=True)[1]
    numerator = np.bincount(codes, weights=df[spec.numerator].to_numpy(dtype=float), minlength=len(reps))
    if spec.denominator is None:
        denominator = np.bincount(codes, minlength=len(reps)).astype(float)
        scale = 1.0
    else:
        denominator = np.bincount(codes, weights=df[spec.denominator].to_numpy(dtype=float), minlength=len(reps))
        scale = 100.0
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, scale * numerator / np.where(denominator > 0, denominator, 1), np.nan)
    out = pd.DataFrame(
        {
            "rep": np.asarray(reps),
            "team": df["team"].to_numpy()[first],
            "agency": df["agency"].to_numpy()[first],
            "arm": df["arm"].to_numpy()[first],
            "y": value,
        }
    )
    return out[out["y"].notna()].reset_index(drop=True)


def _counted(se: float, *, n: int, k_fitted: int, k_absorbed: int) -> float:
    """A standard error from statsmodels' CR1 on residualized data (K = `k_fitted`), as it would be with the
    `k_absorbed` absorbed effects counted in its factor (N − 1)/(N − K) too (estimator version 2)."""
    if n - k_fitted - k_absorbed <= 0:
        raise AnalysisError(["too few reps for the teams: each team needs more than one rep with figures"])
    return se * math.sqrt((n - k_fitted) / (n - k_fitted - k_absorbed))


def analyze_holdout(
    df: pd.DataFrame, *, metric: str, confidence: float = CONFIDENCE, version: int = ESTIMATOR_VERSION
) -> ExperimentResult:
    """Difference treatment − control over the post-period (with team effects from version 2), clustered by team."""
    import pyhdfe
    import statsmodels.api as sm

    if not (df["arm"] != "").all():
        raise AnalysisError(["a holdout needs every rep's arm (treatment or control)"])
    waves = month_numbers(df["wave"])
    starts = waves[(df["arm"] == TREATMENT).to_numpy() & (waves != NEVER)]
    if len(starts):
        df = df[month_numbers(df["month"]) >= starts.min()]
    data = rep_metric(df, metric)
    treated = (data["arm"] == TREATMENT).to_numpy()
    if treated.sum() < 2 or (~treated).sum() < 2:
        raise AnalysisError(["each arm needs at least 2 reps with figures over the period"])
    teams = _codes(data["team"])
    n_clusters = int(teams.max()) + 1
    if n_clusters < 2:
        raise AnalysisError(["cluster-robust errors need at least 2 teams"])
    y = data["y"].to_numpy(dtype=float)
    if version == 1:
        x = np.column_stack([np.ones(len(treated)), treated.astype(float)])
        fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": teams})
        effect, se = float(fit.params[1]), float(fit.bse[1])
    else:
        absorbed = pyhdfe.create(teams[:, None], drop_singletons=False).residualize(
            np.column_stack([y, treated.astype(float)])
        )
        if float(np.abs(absorbed[:, 1]).max()) < 1e-9:
            raise AnalysisError(["no team has reps in both arms"])
        fit = sm.OLS(absorbed[:, 0], absorbed[:, 1:]).fit(cov_type="cluster", cov_kwds={"groups": teams})
        effect = float(fit.params[0])
        se = _counted(float(fit.bse[0]), n=len(y), k_fitted=1, k_absorbed=n_clusters)
    low, high, p = _interval(effect, se, n_clusters - 1, confidence=confidence)
    return ExperimentResult(effect, low, high, p, len(data), n_clusters)


def analyze_waves(
    df: pd.DataFrame, *, metric: str, confidence: float = CONFIDENCE, version: int = ESTIMATOR_VERSION
) -> ExperimentResult:
    """Two-way fixed effects (rep, month) on "trained by this month", clustered by team.

    One row per rep and month (as `read_csv` guarantees). The rep and month effects are absorbed with pyhdfe
    (alternating projections), then statsmodels' OLS of the residualized metric on the residualized indicator
    gives the same coefficient as the regression with every dummy (Frisch–Waugh–Lovell), with CR1 errors by
    team. Version 1 does not count the rep and month effects as parameters (as Stata's reghdfe does for effects
    nested in the clusters); version 2 counts them, as the regression with every dummy does.
    """
    import pyhdfe
    import statsmodels.api as sm

    spec = METRICS[metric]
    y = df[spec.numerator].to_numpy(dtype=float)
    keep = None  # every row; or the rows with a denominator (no copy of the frame: 100,000s of rows)
    if spec.denominator is not None:
        denominator = df[spec.denominator].to_numpy(dtype=float)
        keep = denominator > 0
        y = 100.0 * y[keep] / denominator[keep]
    month = month_numbers(df["month"])
    trained = (month >= month_numbers(df["wave"])).astype(float)  # as `trained_by_month`, months converted once
    if keep is not None:
        trained, month = trained[keep], month[keep]
    if len(trained) == 0 or trained.min() == trained.max():
        raise AnalysisError(["waves need rep-months both before and after the training"])
    teams = _codes(df["team"], keep)
    n_clusters = int(teams.max()) + 1
    if n_clusters < 2:
        raise AnalysisError(["cluster-robust errors need at least 2 teams"])
    reps = _codes(df["rep"], keep)
    ids = np.column_stack([reps, pd.factorize(month, sort=False)[0]])
    absorbed = pyhdfe.create(ids, drop_singletons=False).residualize(np.column_stack([y, trained]))
    if float(np.abs(absorbed[:, 1]).max()) < 1e-9:
        raise AnalysisError(["the waves cannot be told apart from the months (every rep trained at once)"])
    fit = sm.OLS(absorbed[:, 0], absorbed[:, 1:]).fit(cov_type="cluster", cov_kwds={"groups": teams})
    effect, se = float(fit.params[0]), float(fit.bse[0])
    n_reps = int(reps.max()) + 1
    if version != 1:
        n_months = int(ids[:, 1].max()) + 1
        se = _counted(se, n=len(y), k_fitted=1, k_absorbed=n_reps + n_months - 1)
    low, high, p = _interval(effect, se, n_clusters - 1, confidence=confidence)
    return ExperimentResult(effect, low, high, p, n_reps, n_clusters)


def analyze(
    rows: Sequence[ExperimentRow] | pd.DataFrame,
    *,
    design: str,
    metric: str = "appointment_rate",
    version: int = ESTIMATOR_VERSION,
) -> ExperimentResult:
    """Analyse rows (or their `frame`) with the design's estimator of this version (see the module's docstring)."""
    if version not in ESTIMATOR_VERSIONS:
        raise AnalysisError([f"unknown estimator version {version!r}"])
    if design not in DESIGNS:
        raise AnalysisError([f"unknown design {design!r} (holdout or waves)"])
    if metric not in METRICS:
        raise AnalysisError([f"unknown metric {metric!r} ({', '.join(METRICS)})"])
    df = rows if isinstance(rows, pd.DataFrame) else frame(rows)
    if design == "holdout":
        return analyze_holdout(df, metric=metric, version=version)
    return analyze_waves(df, metric=metric, version=version)


# -- what an experiment can detect -----------------------------------------------------------------------

POWER = 0.80
PLACEBO_DRAWS = {"holdout": 20, "waves": 5}


@dataclass(frozen=True)
class Detectable:
    """The minimum detectable effect of a design on some reps, from their own history (placebo experiments)."""

    mde: float  # in the metric's unit (percentage points for rates)
    n_reps: int
    n_clusters: int
    months: int  # months of history used
    spread: float  # standard deviation of the metric between reps over those months
    design_effect: float | None  # variance against reps drawn independently (holdout only)


def _placebo_design(
    df: pd.DataFrame, design: str, *, share: float, waves: int, spacing: int, rng: np.random.Generator
) -> pd.DataFrame:
    reps = df.drop_duplicates("rep")
    strata = (reps["agency"].astype(str) + "\x1f" + reps["team"].astype(str)).tolist()
    if design == "holdout":
        arms = assign(strata, {TREATMENT: share, CONTROL: 1 - share}, rng)
        by_rep = dict(zip(reps["rep"], arms, strict=True))
        return df.assign(arm=df["rep"].map(by_rep), wave=None)
    months = sorted(set(df["month"]))
    order = assign(strata, {str(k): 1 / waves for k in range(waves)}, rng)
    start = {rep: months[1 + spacing * int(k)] for rep, k in zip(reps["rep"], order, strict=True)}
    return df.assign(arm="", wave=df["rep"].map(start))


def minimum_detectable_effect(
    history: pd.DataFrame,
    *,
    design: str,
    metric: str = "appointment_rate",
    share: float = 0.5,
    waves: int = 4,
    spacing: int = 1,
    period: int = 3,
    seed: int = 0,
    power: float = POWER,
) -> Detectable:
    """The smallest true effect the design would find at 5 % (two-sided) with `power`, from the reps' history.

    Placebo experiments on the history: the design's own randomization (stratified by agency and team) is drawn
    a few times on months when nothing was rolled out, and analysed with the design's own estimator; the
    average standard error includes the reps' spread, the months' noise and the team clustering as they are.
    MDE = (t(0.975) + t(power)) × SE with teams − 1 degrees of freedom. Holdout: the last `period` months as the
    period (`share` of the reps treated). Waves: `waves` waves `spacing` months apart after one month before
    the first, so 1 + waves × spacing months of history.
    """
    if metric not in METRICS:
        raise AnalysisError([f"unknown metric {metric!r} ({', '.join(METRICS)})"])
    if design not in DESIGNS:
        raise AnalysisError([f"unknown design {design!r} (holdout or waves)"])
    months = sorted(set(history["month"]))
    needed = period if design == "holdout" else 1 + waves * spacing
    if len(months) < needed:
        raise AnalysisError([f"{needed} months of history are needed, there are {len(months)}"])
    df = history[history["month"].isin(months[-needed:])]
    rng = np.random.default_rng(seed)
    errors, clusters, reps = [], 0, 0
    for _draw in range(PLACEBO_DRAWS[design]):
        placebo = _placebo_design(df, design, share=share, waves=waves, spacing=spacing, rng=rng)
        result = analyze(placebo, design=design, metric=metric)
        # the half-width of the 95 % interval over its t quantile is the standard error
        se = (result.ci_high - result.ci_low) / 2 / float(stats.t.ppf(0.5 + CONFIDENCE / 2, result.n_clusters - 1))
        errors.append(se**2)
        clusters, reps = result.n_clusters, result.n_reps
    se = math.sqrt(float(np.mean(errors)))
    df_t = clusters - 1
    mde = (float(stats.t.ppf(0.5 + CONFIDENCE / 2, df_t)) + float(stats.t.ppf(power, df_t))) * se
    per_rep = rep_metric(df, metric)["y"].to_numpy()
    spread = float(np.std(per_rep, ddof=1)) if len(per_rep) > 1 else 0.0
    design_effect = None
    if design == "holdout" and spread > 0:
        treated = round(share * len(per_rep))
        simple = spread**2 * (1 / max(treated, 1) + 1 / max(len(per_rep) - treated, 1))
        design_effect = se**2 / simple
    return Detectable(mde, reps, clusters, needed, spread, design_effect)
