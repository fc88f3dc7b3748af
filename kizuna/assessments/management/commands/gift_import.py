"""Import a GIFT file into a question bank: all of it, or nothing and the errors with their line numbers."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.assessments import services


class Command(BaseCommand):
    help = "Import the questions of a GIFT file (Moodle's quiz text format) into a question bank."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the GIFT file (UTF-8)")
        parser.add_argument("--bank", required=True, help="the bank's code; the bank is created if missing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            source = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        bank = services.bank_ensure(slug=options["bank"])
        try:
            result = services.gift_import(bank=bank, source=source)
        except services.GiftImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}:{error.line}: {error.message}")
            raise CommandError(f"{len(exc.errors)} error(s): nothing was imported") from None
        for type_code, count in sorted(result.counts.items()):
            self.stdout.write(f"{type_code}: {count}")
        total = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {total} question(s) into {bank.slug} ({result.created} new, {result.updated} updated)"
            )
        )
