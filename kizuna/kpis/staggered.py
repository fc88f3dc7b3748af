"""Difference-in-differences for a staggered rollout: Callaway & Sant'Anna (2021) with not-yet-treated controls.

When reps get the training in different months (waves, or agencies that started at different times), the two-way
fixed-effects regression compares later-trained reps with reps trained earlier, and an effect that grows with time
since training biases it (Goodman-Bacon 2021). Callaway & Sant'Anna estimate one effect per cohort g (the reps first
trained in month g) and month t, ATT(g, t), comparing the cohort's change from the month before g to t with the
change of the reps not yet trained by t (never-trained reps included), and then average them:

- **overall**: ATT(g, t) for t ≥ g averaged with weights proportional to the cohorts' sizes ("simple");
- **event study**: by months since training e = t − g, each e averaged over the cohorts that have it; e < 0 are
  placebo comparisons before training (the pre-trend check: near zero if trained and not-yet-trained reps moved
  alike before training, the assumption the estimate rests on).

The estimator is diff-diff's `CallawaySantAnna` (MIT, pinned in requirements), outcome regression without
covariates (each ATT(g, t) is then exactly the 2×2 difference in differences of means, tested), standard errors
from the influence functions clustered by team, 95 % intervals. The pre-trend check is a Wald test that every
pre-training event-study effect is zero (their joint covariance from the influence functions).

Input is the CSV contract's frame (`experiments.COLUMNS`); the outcome is the metric per rep and month (rates in
percent, so effects are in percentage points); rep-months without a denominator are left out.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .experiments import METRICS, month_numbers

CONFIDENCE = 0.95
MIN_COHORT_REPS = 2


@dataclass(frozen=True)
class EventEffect:
    months_since: int  # e = month − training month; negative before training
    effect: float
    low: float
    high: float


@dataclass(frozen=True)
class Staggered:
    effect: float  # overall ATT, percentage points (rates) or per rep and month (counts)
    low: float
    high: float
    p_value: float
    n_reps: int
    n_clusters: int
    cohorts: int  # training months with reps (groups g)
    events: list[EventEffect]
    pre_trend_p: float | None  # Wald test that every pre-training effect is 0; None without pre-periods

    def as_json(self) -> dict[str, object]:
        return {
            **{k: getattr(self, k) for k in ("effect", "low", "high", "p_value", "n_reps", "n_clusters", "cohorts")},
            "events": [[e.months_since, e.effect, e.low, e.high] for e in self.events],
            "pre_trend_p": self.pre_trend_p,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Staggered:
        events = [EventEffect(int(e), eff, low, high) for e, eff, low, high in data["events"]]  # type: ignore[attr-defined]
        fields = {k: data[k] for k in ("effect", "low", "high", "p_value", "n_reps", "n_clusters", "cohorts")}
        return cls(**fields, events=events, pre_trend_p=data["pre_trend_p"])  # type: ignore[arg-type]


def panel(df: pd.DataFrame, *, metric: str) -> pd.DataFrame:
    """One row per rep and month: unit, cluster, time (1, 2, …), first_treat (its time; 0 = never) and y."""
    spec = METRICS[metric]
    if spec.denominator is not None:
        df = df[df[spec.denominator] > 0]
        y = 100.0 * df[spec.numerator].to_numpy(dtype=float) / df[spec.denominator].to_numpy(dtype=float)
    else:
        y = df[spec.numerator].to_numpy(dtype=float)
    month = month_numbers(df["month"])
    wave = month_numbers(df["wave"])
    first = int(month.min()) if len(month) else 0
    never = wave == np.iinfo(np.int64).max
    return pd.DataFrame(
        {
            "unit": pd.factorize(df["rep"])[0],
            "cluster": pd.factorize(df["team"])[0],
            "time": month - first + 1,
            "first_treat": np.where(never, 0, wave - first + 1),
            "y": y,
        }
    )


def staggered_did(df: pd.DataFrame, *, metric: str = "appointment_rate") -> Staggered | None:
    """The Callaway–Sant'Anna estimate of a staggered rollout (see the module's docstring); None when the figures
    cannot give one (no cohort with reps both trained and compared, fewer than 2 teams)."""
    from diff_diff import CallawaySantAnna

    data = panel(df, metric=metric)
    if data.empty:
        return None
    # Reps trained before the first month have no month before training to compare from; a cohort needs reps.
    data = data[(data["first_treat"] == 0) | (data["first_treat"] > data["time"].min())]
    sizes = data.drop_duplicates("unit")["first_treat"].value_counts()
    cohorts = [int(g) for g, n in sizes.items() if g > 0 and n >= MIN_COHORT_REPS]
    data = data[(data["first_treat"] == 0) | data["first_treat"].isin(cohorts)]
    if not cohorts or data["cluster"].nunique() < 2:
        return None
    estimator = CallawaySantAnna(
        control_group="not_yet_treated",
        estimation_method="reg",
        cluster="cluster",
        alpha=1 - CONFIDENCE,
        allow_unbalanced_panel=True,
        rank_deficient_action="silent",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = estimator.fit(data, outcome="y", unit="unit", time="time", first_treat="first_treat")
            study = fit.aggregate("event_study")
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError):
        return None
    effect, se = float(fit.overall_att), float(fit.overall_se)
    if not (math.isfinite(effect) and math.isfinite(se)) or se <= 0:
        return None
    low, high = (float(v) for v in fit.overall_conf_int)
    rows = study.to_dataframe()
    estimated = rows[~rows["is_reference"].astype(bool) & np.isfinite(rows["se"]) & (rows["se"] > 0)]
    events = [
        EventEffect(int(e), float(a), float(lo), float(hi))
        for e, a, lo, hi in zip(
            estimated["event_time"],
            estimated["att"],
            estimated["conf_int_lower"],
            estimated["conf_int_upper"],
            strict=True,
        )
    ]
    return Staggered(
        effect=effect,
        low=low,
        high=high,
        p_value=float(fit.overall_p_value),
        n_reps=int(data["unit"].nunique()),
        n_clusters=int(data["cluster"].nunique()),
        cohorts=len(cohorts),
        events=events,
        pre_trend_p=_pre_trend_p(estimated, study),
    )


def _pre_trend_p(estimated: pd.DataFrame, study: object) -> float | None:
    """p-value of the Wald test that the pre-training event-study effects are all 0 (their joint covariance)."""
    pre = estimated[estimated["event_time"] < 0]
    if pre.empty:
        return None
    b = pre["att"].to_numpy(dtype=float)
    vcov, index = getattr(study, "vcov", None), getattr(study, "vcov_index", None)
    labels = list(index) if index is not None else []
    if vcov is not None and all(e in labels for e in pre["event_time"]):
        at = [labels.index(e) for e in pre["event_time"]]
        v = np.asarray(vcov, dtype=float)[np.ix_(at, at)]
    else:  # no joint covariance: treat them as independent
        v = np.diag(pre["se"].to_numpy(dtype=float) ** 2)
    wald = float(b @ np.linalg.pinv(v) @ b)
    return float(stats.chi2.sf(wald, len(b)))
