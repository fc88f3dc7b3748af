"""Difference in differences for staggered rollouts (Callaway & Sant'Anna, not-yet-treated controls)."""

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kizuna.kpis import staggered
from kizuna.kpis.experiments import COLUMNS

from . import simulation

WORLD = simulation.World(teams=30, reps_per_team=8)
SEEDS = 40


def _row(rep: str, team: str, wave: date | None, month: date, calls: int, appointments: int) -> dict[str, object]:
    return dict(zip(COLUMNS, (rep, team, "a", "", wave, month, calls, appointments, 0), strict=True))


def test_it_equals_the_hand_computed_two_by_two_difference_in_differences() -> None:
    before, after = date(2026, 1, 1), date(2026, 2, 1)
    rng = np.random.default_rng(5)
    rows, rates = [], {}
    for i in range(12):
        treated = i < 6
        for month in (before, after):
            appointments = int(rng.integers(5, 40))
            rows.append(_row(f"r{i}", f"t{i % 4}", after if treated else None, month, 100, appointments))
            rates[(treated, month)] = rates.get((treated, month), []) + [appointments]
    mean = {key: float(np.mean(values)) for key, values in rates.items()}  # calls are 100: a rate in % = appointments
    by_hand = (mean[(True, after)] - mean[(True, before)]) - (mean[(False, after)] - mean[(False, before)])
    result = staggered.staggered_did(pd.DataFrame(rows))
    assert result is not None
    assert result.effect == pytest.approx(by_hand, abs=1e-9)
    assert result.low < result.effect < result.high
    assert result.cohorts == 1 and result.n_reps == 12 and result.n_clusters == 4


def test_it_recovers_a_planted_effect_and_its_interval_covers_it() -> None:
    truth = 3.0  # percentage points of appointment rate
    fits = [
        staggered.staggered_did(simulation.waves(WORLD, seed, effect=truth / 100, count=4, spacing=2).frame)
        for seed in range(SEEDS)
    ]
    assert all(fit is not None for fit in fits)
    effects = np.array([fit.effect for fit in fits if fit])
    coverage = np.mean([fit.low <= truth <= fit.high for fit in fits if fit])
    print(f"staggered DiD: mean {effects.mean():.2f} for {truth}, coverage {coverage:.3f} over {SEEDS} seeds")
    assert abs(effects.mean() - truth) < 0.4
    assert 0.85 <= coverage <= 1.0


def test_with_no_effect_the_pre_trend_check_and_the_estimate_hold_zero_mostly() -> None:
    fits = [
        staggered.staggered_did(simulation.waves(WORLD, 500 + seed, effect=0.0, count=4, spacing=2).frame)
        for seed in range(SEEDS)
    ]
    assert np.mean([not (f.low <= 0 <= f.high) for f in fits if f]) <= 0.15
    assert np.mean([f.pre_trend_p is not None and f.pre_trend_p < 0.05 for f in fits if f]) <= 0.15


def test_a_wave_that_already_diverged_before_training_fails_the_pre_trend_check() -> None:
    frame = simulation.waves(WORLD, 7, effect=0.03, count=4, spacing=2).frame.copy()
    first = frame["wave"].map(lambda w: w is not None and w == min(frame["wave"]))  # the first wave
    months = sorted(set(frame["month"]))
    # the first wave's reps sold ever more in the months before their training (a selection, not the course)
    drift = frame["month"].map({m: 4 * k for k, m in enumerate(months)})
    frame.loc[first, "appointments"] = np.minimum(
        frame.loc[first, "calls"], frame.loc[first, "appointments"] + drift[first]
    )
    result = staggered.staggered_did(frame)
    assert result is not None and result.pre_trend_p is not None and result.pre_trend_p < 0.05


def test_the_event_study_has_effects_before_and_after_training() -> None:
    result = staggered.staggered_did(simulation.waves(WORLD, 3, effect=0.03, count=4, spacing=2).frame)
    assert result is not None
    since = [e.months_since for e in result.events]
    assert min(since) < 0 <= max(since)
    assert staggered.Staggered.from_json(result.as_json()) == result


def test_without_two_teams_it_gives_no_estimate() -> None:
    rows = [
        _row(f"r{i}", "t", date(2026, 2, 1) if i < 3 else None, date(2026, m, 1), 100, 10 + i)
        for i in range(6)
        for m in (1, 2)
    ]
    assert staggered.staggered_did(pd.DataFrame(rows)) is None


def _adoption(seed: int, *, planted: float, drift: float = 0.0) -> Any:
    """24 months; two thirds of the reps finish the course in a random month and gain `planted` points from then on;
    `drift`: the finishers' rate rises by that many points a month before they finish (keen reps improving)."""
    from kizuna.kpis import effect
    from kizuna.kpis.periods import month_add

    latest = date(2026, 12, 1)
    first = month_add(latest, -23)
    rng = np.random.default_rng(seed)
    data = effect.EffectData(reps=list(range(180)), finished={}, sales={}, latest=latest)
    for rep in data.reps:
        data.teams[rep] = rep // 6
        base = rng.uniform(0.10, 0.30)
        at = int(rng.integers(4, 20)) if rep % 3 else None
        if at is not None:
            data.finished[rep] = month_add(first, at)
        for n in range(24):
            rate = base
            if at is not None:
                rate += planted / 100 if n >= at else drift / 100 * (n - at)
            data.sales[(rep, month_add(first, n))] = (100, int(rng.binomial(100, min(max(rate, 0.0), 1.0))), 0)
    return data


def test_the_did_learning_move_sales_estimate_recovers_a_planted_effect_of_finishing() -> None:
    from kizuna.kpis import effect

    result = effect.effect_staggered(_adoption(1, planted=4.0))
    assert result is not None and result.low < 4.0 < result.high
    assert result.pre_trend_p is not None and result.pre_trend_p > 0.05


def test_reps_who_were_already_improving_fail_the_pre_trend_check() -> None:
    from kizuna.kpis import effect

    result = effect.effect_staggered(_adoption(2, planted=0.0, drift=0.8))
    assert result is not None and result.pre_trend_p is not None and result.pre_trend_p < 0.05
