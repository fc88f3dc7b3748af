"""Write a scenario's draft to standard output in the exchange format (JSON by default, or YAML)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.scenarios.exchange import dump_json, dump_yaml, scenario_export
from kizuna.scenarios.models import Scenario


class Command(BaseCommand):
    help = "Export a scenario's draft in the Kizuna exchange format (docs/scenario-format.md) to standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the scenario's code")
        parser.add_argument("--format", choices=["json", "yaml"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        scenario = Scenario.objects.filter(slug=options["slug"]).first()
        if scenario is None:
            raise CommandError(f"No scenario with the code {options['slug']}")
        data = scenario_export(scenario)
        self.stdout.write(dump_yaml(data) if options["format"] == "yaml" else dump_json(data), ending="")
