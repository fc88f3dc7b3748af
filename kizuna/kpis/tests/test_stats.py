"""The statistics on generated data with known effects: a planted +5-point rise is found, none is invented."""

from datetime import date

import numpy as np
from django.utils import translation

from kizuna.kpis import effect
from kizuna.kpis.periods import month_add

LATEST = date(2026, 12, 1)
FIRST = month_add(LATEST, -23)


def generate(*, seed: int, planted: float, reps: int = 120, calls: int = 100) -> effect.EffectData:
    """24 months of figures; half the reps finish the course in a random month and then gain `planted` points."""
    rng = np.random.default_rng(seed)
    data = effect.EffectData(reps=list(range(reps)), finished={}, sales={}, latest=LATEST)
    for rep in range(reps):
        base = rng.uniform(0.10, 0.30)
        finished = month_add(FIRST, int(rng.integers(4, 20))) if rep % 2 == 0 else None
        if finished is not None:
            data.finished[rep] = finished
        for n in range(24):
            month = month_add(FIRST, n)
            rate = base + (planted / 100 if finished is not None and month > finished else 0.0)
            appointments = int(rng.binomial(calls, rate))
            deals = int(rng.binomial(appointments, 0.3))
            data.sales[(rep, month)] = (calls, appointments, deals)
    return data


def test_a_planted_five_point_rise_is_found_with_an_interval_covering_it() -> None:
    result = effect.effect_compute(generate(seed=1, planted=5.0))
    paired = result.appointment_paired
    assert paired.n >= 40
    assert paired.low < 5.0 < paired.high
    assert paired.direction == 1
    groups = result.appointment_groups
    assert groups.direction == 1 and groups.low < 5.0 < groups.high


def test_the_interval_covers_the_planted_rise_about_as_often_as_it_says() -> None:
    covered = 0
    runs = 60
    for seed in range(runs):
        paired = effect.effect_compute(generate(seed=1000 + seed, planted=5.0, reps=60)).appointment_paired
        covered += paired.low < 5.0 < paired.high
    assert covered / runs >= 0.88  # 95% intervals; allow for chance over 60 runs


def test_no_effect_is_reported_where_none_was_planted_over_many_seeds() -> None:
    runs = 150
    paired_found = groups_found = close_found = 0
    for seed in range(runs):
        result = effect.effect_compute(generate(seed=seed, planted=0.0, reps=60))
        paired_found += result.appointment_paired.direction != 0
        groups_found += result.appointment_groups.direction != 0
        close_found += result.close_paired.direction != 0
    # At 95% confidence about 5% of runs show an effect by chance; more than 10% would mean a biased method.
    assert paired_found / runs <= 0.10
    assert groups_found / runs <= 0.10
    assert close_found / runs <= 0.10


def test_too_few_reps_give_no_estimate_and_say_so() -> None:
    data = generate(seed=3, planted=5.0, reps=4)
    with translation.override("en"):
        result = effect.effect_compute(data)
    assert not result.appointment_paired.known
    assert "Too few" in result.readings[0].text
    with translation.override("ja"):
        assert "少なすぎる" in effect.effect_compute(data).readings[0].text


def test_a_correlation_between_quiz_scores_and_outcomes_has_an_interval() -> None:
    data = generate(seed=5, planted=0.0, reps=80)
    window = effect.window_months(LATEST)
    noise = np.random.default_rng(9).normal(0, 8, size=len(data.reps))
    for rep in data.reps:
        calls = sum(data.sales[(rep, m)][0] for m in window)
        appointments = sum(data.sales[(rep, m)][1] for m in window)
        data.quiz[rep] = 40 + 200 * appointments / calls + noise[rep]
    r = effect.effect_compute(data).quiz_correlation
    assert r.known and r.direction == 1 and 0 < r.low < r.value < r.high < 1.0
    assert r.n == 80
