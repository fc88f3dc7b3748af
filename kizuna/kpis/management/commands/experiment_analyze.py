"""Analyse a training experiment from a CSV (holdout or staggered waves) and print the estimate as JSON."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.kpis.experiments import DESIGNS, METRICS, AnalysisError, analyze, read_csv

MAX_BYTES = 512 * 2**20


class Command(BaseCommand):
    help = (
        "Analyse a CSV with the columns rep,team,agency,arm,wave,month,calls,appointments,closed and print "
        '{"effect", "ci_low", "ci_high", "p_value", "n_reps", "n_clusters"} (effect in percentage points for '
        "rates); see kizuna/kpis/experiments.py for the estimators."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", required=True, help="the CSV file (UTF-8)")
        parser.add_argument("--design", choices=DESIGNS, default="holdout")
        parser.add_argument("--metric", choices=sorted(METRICS), default="appointment_rate")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["csv"])
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path} is larger than {MAX_BYTES // 2**20} MB")
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text") from None
        try:
            result = analyze(read_csv(text), design=options["design"], metric=options["metric"])
        except AnalysisError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(f"{len(exc.problems)} problem(s): nothing was analysed") from None
        self.stdout.write(json.dumps(result.as_dict()))
