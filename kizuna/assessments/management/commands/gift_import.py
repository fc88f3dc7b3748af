"""Import a GIFT file into a question bank: all of it, or nothing and the errors with their line numbers."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.assessments.errors import GiftImportError
from kizuna.assessments.gift import GIFT_MAX_BYTES
from kizuna.assessments.gift_imports import gift_import_now
from kizuna.assessments.models import QuestionBank


class Command(BaseCommand):
    help = (
        "Import the questions of a GIFT file (Moodle's quiz text format) into a question bank, "
        "in short batches that are published together at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the GIFT file (UTF-8)")
        parser.add_argument("--bank", required=True, help="the bank's code; created (only if the import succeeds)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        slug = options["bank"]
        try:
            with path.open("rb") as file:
                if path.stat().st_size > GIFT_MAX_BYTES:
                    raise CommandError(f"{path} is larger than {GIFT_MAX_BYTES // 2**20} MB: split it")
                bank = QuestionBank.objects.filter(slug=slug, staging=False).first()
                result = gift_import_now(source=file, bank=bank, slug=slug)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        except GiftImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}:{error.line}: {error.message}")
            raise CommandError(f"{len(exc.errors)} error(s): nothing was imported") from None
        for type_code, count in sorted(result.counts.items()):
            self.stdout.write(f"{type_code}: {count}")
        total = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {total} question(s) into {slug} ({result.created} new, {result.updated} updated)"
            )
        )
