"""The experiment analysis on simulated reps (team clustering, keen reps, seasons) and its CSV contract.

The simulations run many seeds with fixed numbers, so the figures are the same on every run; the bounds are the
issue's (93–97 % coverage, ≤ 5 % false positives). The current estimator (version 2) is slightly conservative, so
its false positives are ≤ 5 % over the suite's 400 seeds with room (3.9 % over 4,000 seeds in
`bench/experiments_simulation.py`); version 1, still used by experiments that registered it, is exact only up to
its t approximation (5.2 % over those 4,000) and is over 5 % on these 400 seeds.
"""

import functools
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from scipy import stats as sps

from kizuna.kpis import experiments
from kizuna.kpis import stats as kpi_stats
from kizuna.kpis.tests import simulation

WORLD = simulation.World()
SEEDS = 400
PLANTED = 0.02  # +2 points of appointment probability for those who train
ROOT = Path(__file__).resolve().parents[3]


@functools.cache
def _runs(design: str, effect: float, offset: int, version: int = 2) -> list[experiments.ExperimentResult]:
    make = simulation.holdout if design == "holdout" else simulation.waves
    return [
        experiments.analyze(make(WORLD, offset + seed, effect=effect).frame, design=design, version=version)
        for seed in range(SEEDS)
    ]


@pytest.mark.parametrize(
    ("design", "truth"),
    # holdout: half of the treated complete (keen ones), so the intention-to-treat effect is half the planted one
    [("holdout", 100 * PLANTED / 2), ("waves", 100 * PLANTED)],
)
def test_the_95_percent_interval_covers_a_planted_effect_in_93_to_97_percent_of_runs(design: str, truth: float) -> None:
    runs = _runs(design, PLANTED, offset=0)
    coverage = np.mean([r.ci_low <= truth <= r.ci_high for r in runs])
    bias = np.mean([r.effect for r in runs]) - truth
    print(f"{design}: coverage {coverage:.3f}, mean bias {bias:+.3f} points over {SEEDS} seeds")
    assert 0.93 <= coverage <= 0.97
    assert abs(bias) < 0.15
    assert all(r.n_clusters == WORLD.teams and r.n_reps == WORLD.teams * WORLD.reps_per_team for r in runs)


@pytest.mark.parametrize("design", ["holdout", "waves"])
def test_with_no_effect_it_reports_one_in_at_most_five_percent_of_runs(design: str) -> None:
    runs = _runs(design, 0.0, offset=100_000)
    false_positives = np.mean([r.p_value < 0.05 for r in runs])
    print(f"{design}: false positives {false_positives:.3f} over {SEEDS} seeds")
    assert false_positives <= 0.05
    # the p-value and the interval agree
    assert all((r.p_value < 0.05) == (r.ci_low > 0 or r.ci_high < 0) for r in runs)


def test_the_first_estimator_gave_more_than_five_percent_false_positives_on_the_same_holdout_seeds() -> None:
    """Version 1 (no team effects, only the arm counted in CR1's small-sample factor) on the seeds of the test
    above: what made version 2. Its rate over 4,000 seeds is 5.2 % (bench/experiments_simulation.py)."""
    old = _runs("holdout", 0.0, offset=100_000, version=1)
    new = _runs("holdout", 0.0, offset=100_000)
    assert np.mean([r.p_value < 0.05 for r in old]) > 0.05
    # the same rep-level difference, with wider intervals: version 2 rejects only where version 1 did
    assert all(n.p_value >= 0.05 or o.p_value < 0.05 for o, n in zip(old, new, strict=True))


def test_the_naive_finishers_against_the_others_comparison_is_biased_where_the_experiment_is_not() -> None:
    seeds = 200
    naive = []
    experiment = _runs("holdout", 0.0, offset=100_000)[:seeds]  # the same runs as the false-positive test
    for seed in range(seeds):
        # no experiment: keen reps finish the course, and the course does nothing at all
        world = simulation.observational(WORLD, 100_000 + seed, effect=0.0).frame
        reps = experiments.rep_metric(world, "appointment_rate")
        finished = reps["arm"] == "treatment"
        naive.append(kpi_stats.group_difference(reps.loc[finished, "y"].tolist(), reps.loc[~finished, "y"].tolist()))
    naive_mean = np.mean([e.value for e in naive])
    naive_false = np.mean([e.direction != 0 for e in naive])
    experiment_false = np.mean([r.p_value < 0.05 for r in experiment])
    print(f"naive: mean {naive_mean:+.2f} points, 'effect' in {naive_false:.0%}; experiment: {experiment_false:.0%}")
    assert naive_mean > 2.0  # keenness passes for training
    assert naive_false > 0.8
    assert abs(np.mean([r.effect for r in experiment])) < 0.2
    assert experiment_false < 0.1


def _half_width(result: experiments.ExperimentResult) -> float:
    """The standard error behind a result's 95 % interval."""
    return (result.ci_high - result.ci_low) / 2 / float(sps.t.ppf(0.975, result.n_clusters - 1))


def test_the_waves_estimate_and_its_error_equal_the_regression_with_every_rep_and_month_dummy() -> None:
    import statsmodels.formula.api as smf

    frame = simulation.waves(simulation.World(teams=6, reps_per_team=4), 3, effect=0.05).frame
    result = experiments.analyze(frame, design="waves")
    panel = frame.assign(y=100 * frame["appointments"] / frame["calls"])
    panel["trained"] = (panel["month"] >= panel["wave"]).astype(float)
    panel["month"] = panel["month"].astype(str)
    teams = panel["team"].cat.codes.to_numpy()
    fit = smf.ols("y ~ trained + C(rep) + C(month)", data=panel).fit(cov_type="cluster", cov_kwds={"groups": teams})
    assert result.effect == pytest.approx(fit.params["trained"], abs=1e-6)
    # version 2: statsmodels' own CR1, every rep and month effect counted in its small-sample factor
    assert _half_width(result) == pytest.approx(fit.bse["trained"], rel=1e-6)
    assert _half_width(experiments.analyze(frame, design="waves", version=1)) < fit.bse["trained"] * 0.95


def test_the_holdout_estimate_and_its_error_equal_the_regression_with_every_team_dummy() -> None:
    import statsmodels.formula.api as smf

    frame = simulation.holdout(simulation.World(teams=6, reps_per_team=5), 4, effect=0.05).frame
    result = experiments.analyze(frame, design="holdout")
    reps = experiments.rep_metric(frame[frame["month"] >= frame["wave"].dropna().min()], "appointment_rate")
    reps = reps.assign(treated=(reps["arm"] == "treatment").astype(float), team=reps["team"].astype(str))
    teams = reps["team"].factorize()[0]
    fit = smf.ols("y ~ treated + C(team)", data=reps).fit(cov_type="cluster", cov_kwds={"groups": teams})
    assert result.effect == pytest.approx(fit.params["treated"], abs=1e-6)
    assert _half_width(result) == pytest.approx(fit.bse["treated"], rel=1e-6)
    assert result.n_reps == 30 and result.n_clusters == 6


def test_an_unknown_estimator_version_is_refused() -> None:
    frame = simulation.holdout(simulation.World(teams=3, reps_per_team=4), 1, effect=0.0).frame
    with pytest.raises(experiments.AnalysisError, match="unknown estimator version 3"):
        experiments.analyze(frame, design="holdout", version=3)


def test_stratified_randomization_balances_every_stratum_and_replays_from_its_seed() -> None:
    strata = ["a"] * 7 + ["b"] * 4 + ["c"]
    first = experiments.assign(strata, {"treatment": 0.5, "control": 0.5}, np.random.default_rng(42))
    again = experiments.assign(strata, {"treatment": 0.5, "control": 0.5}, np.random.default_rng(42))
    assert first == again
    for stratum, size in (("a", 7), ("b", 4)):
        arms = [arm for arm, s in zip(first, strata, strict=True) if s == stratum]
        assert abs(arms.count("treatment") - arms.count("control")) <= size % 2
    waves = experiments.assign(["x"] * 9, {"1": 1, "2": 1, "3": 1}, np.random.default_rng(1))
    assert sorted(waves) == ["1"] * 3 + ["2"] * 3 + ["3"] * 3


# -- the command's contract ----------------------------------------------------------------------------------

HEADER = "rep,team,agency,arm,wave,month,calls,appointments,closed\n"


def _write(tmp_path: Path, text: str, name: str = "exp.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _analyze(path: Path, *args: str) -> dict:
    out = StringIO()
    call_command("experiment_analyze", "--csv", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_the_holdout_estimate_as_json(tmp_path: Path) -> None:
    sim = simulation.holdout(WORLD, 7, effect=0.1)
    frame = sim.frame.assign(
        month=sim.frame["month"].map(lambda m: f"{m:%Y-%m}"),
        wave=sim.frame["wave"].map(lambda m: f"{m:%Y-%m}" if m else ""),
    )
    path = tmp_path / "holdout.csv"
    frame.to_csv(path, index=False)
    result = _analyze(path, "--design", "holdout")
    assert set(result) == {"effect", "ci_low", "ci_high", "p_value", "n_reps", "n_clusters"}
    assert result["ci_low"] < 5.0 < result["ci_high"] and result["p_value"] < 0.05
    assert result["n_reps"] == 240 and result["n_clusters"] == 30
    assert result == experiments.analyze(sim.frame, design="holdout").as_dict()


def test_the_holdout_rate_is_appointments_over_calls_summed_over_the_post_period(tmp_path: Path) -> None:
    rows = [HEADER]
    for team in ("t1", "t2"):
        for rep, arm, appointments in (("a", "treatment", 30), ("b", "treatment", 20), ("c", "control", 10)):
            rows.append(f"{team}{rep},{team},x,{arm},2026-03,2026-02,100,90,0\n")  # before the start: left out
            rows.append(f"{team}{rep},{team},x,{arm},2026-03,2026-03,100,{appointments},0\n")
            rows.append(f"{team}{rep},{team},x,{arm},2026-03,2026-04,300,{appointments},0\n")
        rows.append(f"{team}d,{team},x,control,,2026-03,100,{10 if team == 't1' else 6},0\n")
    result = _analyze(_write(tmp_path, "".join(rows)))
    # treatment: 60/400, 40/400 in both teams = 12.5 %; control: 20/400 (5 %) twice, 10 % and 6 %
    assert result["effect"] == pytest.approx(12.5 - (5 + 5 + 10 + 6) / 4)
    assert result["n_reps"] == 8 and result["n_clusters"] == 2


def test_the_close_rate_and_the_waves_design_are_chosen_by_flags(tmp_path: Path) -> None:
    frame = simulation.waves(WORLD, 5, effect=0.0).frame
    frame = frame.assign(month=frame["month"].map(str), wave=frame["wave"].map(str))
    path = tmp_path / "waves.csv"
    frame.to_csv(path, index=False)
    result = _analyze(path, "--design", "waves", "--metric", "close_rate")
    assert result["ci_low"] < 0 < result["ci_high"]
    assert (
        result
        == experiments.analyze(
            simulation.waves(WORLD, 5, effect=0.0).frame, design="waves", metric="close_rate"
        ).as_dict()
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("rep,team,month\nr1,t1,2026-01\n", "missing column(s): agency, arm, wave, calls, appointments, closed"),
        (HEADER, "no rows"),
        (HEADER + "r1,t1,x,treatment,,2026-13,10,1,0\n", "line 2, column month: '2026-13' is not a month"),
        (HEADER + "r1,t1,x,treatment,,2026-01,ten,1,0\n", "line 2, column calls: 'ten' is not a whole number"),
        (HEADER + "r1,t1,x,treatment,,2026-01,-3,1,0\n", "line 2, column calls: -3 is outside"),
        (HEADER + "r1,t1,x,treatment,,2026-01,10,11,0\n", "line 2: appointments (11) exceed calls (10)"),
        (HEADER + "r1,t1,x,maybe,,2026-01,10,1,0\n", "line 2, column arm: 'maybe' is neither"),
        (HEADER + "r1,t1,x,treatment,,2026-01,10,1,0\nr1,t1,x,treatment,,2026-01,10,1,0\n", "already on line 2"),
        (HEADER + "r1,t1,x,treatment,,2026-01,10,1,0\nr1,t1,x,control,,2026-02,10,1,0\n", "another team, agency, arm"),
        (HEADER + "r1,t1,x,treatment,,2026-01,10,1,0,9\n", "line 2: more fields than columns"),
        (HEADER + "r1,t1,x,treatment,,2026-01,10,1,0\nr2,t1,x,control,,2026-01,10,1,0\n", "each arm needs"),
        (HEADER + "r1,t1,x,,,2026-01,10,1,0\n", "needs every rep's arm"),
        (HEADER + "r1,t1,x,treatment,,2026-01,10,1,0\x00\n", "column closed: '0\\x00' is not a whole number"),
        (HEADER + '"' + "r" * 200_000 + '",t1,x,treatment,,2026-01,10,1,0\n', "not a readable CSV: field larger than"),
    ],
)
def test_bad_input_is_refused_with_the_problem_named(tmp_path: Path, text: str, message: str) -> None:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was analysed"):
        call_command("experiment_analyze", "--csv", str(_write(tmp_path, text)), stderr=err)
    assert message in err.getvalue()


def test_waves_where_everyone_trains_at_once_are_refused(tmp_path: Path) -> None:
    rows = [HEADER] + [f"r{r},t{r % 2},x,,2026-02,2026-0{m},10,{(r + m) % 5},0\n" for r in range(6) for m in (1, 2, 3)]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "experiment_analyze", "--csv", str(_write(tmp_path, "".join(rows))), "--design", "waves", stderr=err
        )
    assert "cannot be told apart from the months" in err.getvalue()


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\xff\xfe\x00rep")
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        call_command("experiment_analyze", "--csv", str(binary))


def test_a_missing_file_exits_with_code_1_and_no_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "experiment_analyze", "--csv", str(tmp_path / "none.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "cannot read" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("design", ["holdout", "waves"])
def test_the_stated_minimum_detectable_effect_is_found_about_80_percent_of_the_time(design: str) -> None:
    # the MDE from three histories of the same kind of reps (no rollout), then 200 experiments planting it
    if design == "holdout":
        histories = [simulation.holdout(WORLD, 900 + s, effect=0.0, before=6, after=0).frame for s in range(3)]
        mde = np.mean([experiments.minimum_detectable_effect(h, design="holdout", period=3).mde for h in histories])
        runs = [
            simulation.holdout(WORLD, s, effect=mde / 100, before=0, after=3, everyone_completes=True).frame
            for s in range(200)
        ]
    else:
        histories = [simulation.waves(WORLD, 900 + s, effect=0.0, count=4, spacing=1, before=1).frame for s in range(3)]
        mde = np.mean([experiments.minimum_detectable_effect(h, design="waves", waves=4).mde for h in histories])
        runs = [simulation.waves(WORLD, s, effect=mde / 100, count=4, spacing=1, before=1).frame for s in range(200)]
    results = [experiments.analyze(frame, design=design) for frame in runs]
    power = np.mean([r.p_value < 0.05 and r.effect > 0 for r in results])
    print(f"{design}: stated MDE {mde:.2f} points, observed power {power:.3f} over 200 seeds")
    assert abs(power - 0.80) <= 0.07


def test_the_minimum_detectable_effect_needs_enough_months() -> None:
    history = simulation.waves(WORLD, 1, effect=0.0, count=2, spacing=1, before=1).frame  # 3 months
    with pytest.raises(experiments.AnalysisError, match="5 months of history are needed, there are 3"):
        experiments.minimum_detectable_effect(history, design="waves", waves=4, spacing=1)
