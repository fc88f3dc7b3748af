"""Write a question bank as GIFT on standard output."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.assessments import selectors
from kizuna.assessments.models import QuestionBank


class Command(BaseCommand):
    help = "Print the questions of a bank in GIFT (Moodle's quiz text format); gift_import reads it back."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bank", required=True, help="the bank's code")

    def handle(self, *args: Any, **options: Any) -> None:
        bank = QuestionBank.objects.filter(slug=options["bank"]).first()
        if bank is None:
            raise CommandError(f"no question bank with the code {options['bank']!r}")
        self.stdout.write(selectors.gift_export(bank), ending="")
