"""The experiment estimators' false positives and coverage over many simulated experiments (too many for the suite).

The suite (`kizuna/kpis/tests/test_experiments.py`) runs 400 seeds per check; this runs `--seeds` (default 4,000)
of the same simulated reps (30 teams of 8, team clustering, keen reps, seasons) for each design and estimator
version, and prints, per design and version, the share of null experiments reported as an effect (p < 0.05) and
the share of 95 % intervals covering a planted effect, each with its exact binomial 95 % interval. No database.

    .venv/bin/python bench/experiments_simulation.py [--seeds 4000] [--designs holdout,waves]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

PLANTED = 0.02  # as the suite: +2 points of appointment probability for those who train


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=4000)
    parser.add_argument("--designs", default="holdout,waves")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    import django

    django.setup()
    from scipy import stats

    from kizuna.kpis import experiments
    from kizuna.kpis.tests import simulation

    world = simulation.World()
    out: dict[str, dict[str, object]] = {}
    for design in args.designs.split(","):
        make = simulation.holdout if design == "holdout" else simulation.waves
        truth = 100 * PLANTED / 2 if design == "holdout" else 100 * PLANTED  # holdout: half the treated complete
        started = time.process_time()
        counts = {v: {"false": 0, "covered": 0} for v in experiments.ESTIMATOR_VERSIONS}
        for seed in range(args.seeds):
            null = make(world, 200_000 + seed, effect=0.0).frame
            planted = make(world, 300_000 + seed, effect=PLANTED).frame
            for version, count in counts.items():
                count["false"] += experiments.analyze(null, design=design, version=version).p_value < 0.05
                r = experiments.analyze(planted, design=design, version=version)
                count["covered"] += r.ci_low <= truth <= r.ci_high
        for version, count in counts.items():
            row = {}
            for name, hits in count.items():
                ci = stats.binomtest(int(hits), args.seeds).proportion_ci()
                row[name] = [round(hits / args.seeds, 4), round(ci.low, 4), round(ci.high, 4)]
            out[f"{design} v{version}"] = row
            print(
                f"{design} estimator v{version}: false positives {row['false'][0]:.2%} "
                f"({row['false'][1]:.2%}–{row['false'][2]:.2%}), coverage {row['covered'][0]:.2%} "
                f"({row['covered'][1]:.2%}–{row['covered'][2]:.2%}) over {args.seeds} seeds",
                flush=True,
            )
        print(f"  {design}: {time.process_time() - started:.0f} s of CPU", flush=True)
    result = BENCH / "results" / "experiments-simulation-latest.json"
    result.parent.mkdir(exist_ok=True)
    result.write_text(json.dumps({"seeds": args.seeds, **out}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
