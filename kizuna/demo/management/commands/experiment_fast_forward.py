"""`manage.py experiment_fast_forward EXPERIMENT_ID`: play a demo experiment's period as if it had passed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.demo.experiments import experiment_fast_forward
from kizuna.kpis.rollouts import experiment_by_id


class Command(BaseCommand):
    help = (
        "Demo only: move an experiment back so its period ends with the last complete month, give the course to "
        "everyone whose month has come, let the keener reps finish it, and simulate the period's sales figures "
        "with the demo generator (5 points more appointments after finishing). Then its result page can be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("experiment", type=int, help="the experiment's id (in its page's address)")

    def handle(self, *args: Any, **options: Any) -> None:
        experiment = experiment_by_id(options["experiment"])
        if experiment is None:
            raise CommandError(f"no experiment {options['experiment']}")
        done = experiment_fast_forward(experiment=experiment)
        self.stdout.write(
            f"experiment {experiment.pk}: {done['released']} reps given it, {done['finished']} finished it, "
            f"{done['figures']} monthly figures simulated; the period ended"
        )
