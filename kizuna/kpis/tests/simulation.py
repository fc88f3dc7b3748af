"""Synthetic reps and monthly KPIs for checking the experiment analysis (tests, the MDE check, the demo).

Each rep's appointment probability in a month is a base rate plus the team's effect (reps of a team are alike:
clustering), the rep's own level, a *keen* trait (keen reps sell better and are also the ones who finish
courses: the selection that flatters naive comparisons), the season (same for everyone), and the planted effect
once trained. Calls are Poisson, appointments binomial on the calls, deals binomial on the appointments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from kizuna.kpis.experiments import COLUMNS, CONTROL, TREATMENT, assign
from kizuna.kpis.periods import month_add


@dataclass(frozen=True)
class World:
    teams: int = 30
    reps_per_team: int = 8
    agencies: int = 5
    base_rate: float = 0.20
    team_sd: float = 0.03
    rep_sd: float = 0.03
    keen_effect: float = 0.03  # per standard deviation of keenness
    season: float = 0.03  # amplitude of the yearly cycle
    calls_mean: float = 60.0
    close_rate: float = 0.3
    start: date = date(2026, 1, 1)


@dataclass
class Simulated:
    frame: pd.DataFrame  # the CSV's columns, one row per rep and month
    completed: np.ndarray  # per rep: did the training (treated reps only can)
    treated: np.ndarray  # per rep: offered the training (treatment arm, or any wave)


def _population(world: World, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = world.teams * world.reps_per_team
    team = np.repeat(np.arange(world.teams), world.reps_per_team)
    keen = rng.normal(size=n)
    level = (
        world.base_rate
        + rng.normal(0, world.team_sd, world.teams)[team]
        + rng.normal(0, world.rep_sd, n)
        + world.keen_effect * keen
    )
    return team, keen, level


def _frame(
    world: World,
    rng: np.random.Generator,
    *,
    team: np.ndarray,
    p: np.ndarray,  # reps × months appointment probabilities
    arm: list[str],
    wave: list[date | None],
) -> pd.DataFrame:
    n, m = p.shape
    months = [month_add(world.start, k) for k in range(m)]
    calls = rng.poisson(world.calls_mean, size=(n, m))
    appointments = rng.binomial(calls, np.clip(p, 0.01, 0.95))
    closed = rng.binomial(appointments, world.close_rate)
    reps = np.repeat(np.arange(n), m)
    teams = team[reps]
    return pd.DataFrame(
        {
            "rep": pd.Categorical.from_codes(reps, [f"r{i}" for i in range(n)]),
            "team": pd.Categorical.from_codes(teams, [f"t{t}" for t in range(world.teams)]),
            "agency": pd.Categorical.from_codes(teams % world.agencies, [f"a{k}" for k in range(world.agencies)]),
            "arm": np.asarray(arm, dtype=object)[reps],
            "wave": np.asarray(wave + [None], dtype=object)[:-1][reps],
            "month": np.tile(np.asarray(months + [None], dtype=object)[:-1], n),
            "calls": calls.ravel(),
            "appointments": appointments.ravel(),
            "closed": closed.ravel(),
        },
        columns=list(COLUMNS),
    )


def season(world: World, months: int) -> np.ndarray:
    k = np.arange(months) + world.start.month - 1
    return world.season * np.sin(2 * np.pi * k / 12)


def holdout(
    world: World,
    seed: int,
    *,
    effect: float,
    before: int = 3,
    after: int = 6,
    share: float = 0.5,
    keen_completion: float = 1.5,
    everyone_completes: bool = False,
) -> Simulated:
    """A holdout: reps randomized within their team; the treated who *complete* gain `effect` (a probability).

    Completion follows keenness (logistic in keen × keen_completion, half of the reps on average), so the
    intention-to-treat effect the holdout estimates is effect × 0.5 and completers are keener than the others.
    """
    rng = np.random.default_rng(seed)
    team, keen, level = _population(world, rng)
    n = len(team)
    arms = assign([str(t) for t in team], {TREATMENT: share, CONTROL: 1 - share}, rng)
    treated = np.array([a == TREATMENT for a in arms])
    completed = treated & (rng.random(n) < 1 / (1 + np.exp(-keen_completion * keen)))
    if everyone_completes:
        completed = treated
    months = before + after
    post = np.arange(months) >= before
    p = level[:, None] + season(world, months)[None, :] + effect * (completed[:, None] & post[None, :])
    start = month_add(world.start, before)
    waves: list[date | None] = [start if t else None for t in treated]
    return Simulated(_frame(world, rng, team=team, p=p, arm=arms, wave=waves), completed, treated)


def observational(
    world: World, seed: int, *, effect: float, months: int = 6, keen_completion: float = 1.5
) -> Simulated:
    """No experiment: everyone is offered the course, the keen finish it, finishers gain `effect` (a probability)."""
    rng = np.random.default_rng(seed)
    team, keen, level = _population(world, rng)
    n = len(team)
    completed = rng.random(n) < 1 / (1 + np.exp(-keen_completion * keen))
    p = level[:, None] + season(world, months)[None, :] + effect * completed[:, None]
    arms = [TREATMENT if c else CONTROL for c in completed]
    return Simulated(_frame(world, rng, team=team, p=p, arm=arms, wave=[None] * n), completed, np.ones(n, bool))


def waves(world: World, seed: int, *, effect: float, count: int = 4, spacing: int = 2, before: int = 2) -> Simulated:
    """Staggered waves: every rep is trained (required training), in waves randomized within their team."""
    rng = np.random.default_rng(seed)
    team, _keen, level = _population(world, rng)
    labels = [str(k) for k in range(count)]
    order = assign([str(t) for t in team], dict.fromkeys(labels, 1 / count), rng)
    start = np.array([before + spacing * int(k) for k in order])
    months = before + spacing * count
    trained = np.arange(months)[None, :] >= start[:, None]
    p = level[:, None] + season(world, months)[None, :] + effect * trained
    wave: list[date | None] = [month_add(world.start, int(s)) for s in start]
    n = len(team)
    return Simulated(_frame(world, rng, team=team, p=p, arm=[""] * n, wave=wave), np.ones(n, bool), np.ones(n, bool))
