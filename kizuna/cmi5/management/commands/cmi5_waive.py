"""Waive an AU of a cmi5 course for one rep (the LMS records `waived` with the reason, then evaluates moveOn)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.cmi5.launching import Cmi5Error, cmi5_au_waive
from kizuna.cmi5.selectors import registration_for_waiver


class Command(BaseCommand):
    help = "Waive an AU (by its publisher id) of a cmi5 course for a rep who is registered in it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rep", required=True, help="the rep's e-mail address")
        parser.add_argument("--au", required=True, help="the AU's id in cmi5.xml (its publisher id)")
        parser.add_argument("--reason", default="Administrative", help="Tested Out, Equivalent AU, … (cmi5 9.5.5.2)")

    def handle(self, *args: Any, **options: Any) -> None:
        found = registration_for_waiver(email=options["rep"], au_publisher_id=options["au"])
        if found is None:
            raise CommandError("No registration of that rep in a cmi5 course with that AU (launch it once first).")
        registration, au = found
        try:
            cmi5_au_waive(registration=registration, au=au, reason=options["reason"])
        except Cmi5Error as err:
            raise CommandError(str(err)) from None
        self.stdout.write(f"waived {au.publisher_id} for registration {registration.registration}")
