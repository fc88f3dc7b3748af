"""Import a scenario file (JSON or YAML, told apart by its content) as a draft; print its slug."""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from kizuna.scenarios.errors import ScenarioError
from kizuna.scenarios.exchange import MAX_IMPORT_BYTES
from kizuna.scenarios.services import scenario_import


class Command(BaseCommand):
    help = "Import a scenario file in the Kizuna exchange format (docs/scenario-format.md) as a draft."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to a .json or .yaml file, or - for standard input")
        parser.add_argument("--slug", help="the scenario's code (default: the file's slug)")
        parser.add_argument("--replace", action="store_true", help="overwrite the draft of the scenario with this code")
        parser.add_argument("--author", help="e-mail address of the person recorded as its author")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="language of the error messages")

    def handle(self, *args: Any, **options: Any) -> None:
        # Never more than the limit in memory: one byte over is enough for parse_text to refuse it.
        if options["file"] == "-":
            text = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
        else:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            with path.open("rb") as file:
                text = file.read(MAX_IMPORT_BYTES + 1)
        author = None
        if options["author"]:
            author = get_user_model().objects.filter(email__iexact=options["author"]).first()
            if author is None:
                raise CommandError(f"No person with the e-mail address {options['author']}")
        with translation.override(options["language"]):
            try:
                scenario = scenario_import(text, author=author, slug=options["slug"], replace=options["replace"])
            except ScenarioError as exc:
                lines = [f"- {e.path or e.node or '-'}: {e.message} [{e.code}]" for e in exc.errors]
                raise CommandError(f"Refused: {len(exc.errors)} error(s).\n" + "\n".join(lines)) from None
        self.stdout.write(scenario.slug)
