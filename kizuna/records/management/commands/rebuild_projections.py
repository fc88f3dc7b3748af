"""Rebuild the progress projections from the statements (a progress bar on a terminal)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.ops.progress import command_progress
from kizuna.orgs.selectors import partner_by_code
from kizuna.records.partitions import parse_month
from kizuna.records.projections import (
    partner_rebuild_begin,
    pending_settle,
    rebuild_all,
    rebuild_apps_narrow,
    rebuild_everything,
    rebuild_month,
    rebuild_transaction,
)


class Command(BaseCommand):
    help = (
        "Throw away the progress projections and derive them again from the statements, partition by partition. "
        "--partner CODE: that agency's reps (those with statements for it and its reps now), every projection of "
        "theirs from all their statements, and the rows the agency keeps for all its reps together (choice counts, "
        "item statistics, KPI rollups); other agencies' rows are untouched. --month YYYY-MM: that month's learning "
        "days, learning time and sales rollup; the projections that span months are named: rebuild them with a "
        "full run. Each run is one transaction, one at a time across every server: a second waits for the first; "
        "a run stopped mid-way changes nothing. Statements sent meanwhile count exactly once: requests storing those "
        "of the reps being rebuilt (everyone's for a full run; nobody's for --month) wait until it commits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partner", metavar="CODE", help="the agency's code: rebuild its reps only")
        parser.add_argument("--month", metavar="YYYY-MM", help="rebuild that month's rows only (learning days…)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["partner"] and options["month"]:
            raise CommandError("Give --partner or --month, not both.")
        with command_progress(self, options) as progress, rebuild_transaction(progress=progress):
            if options["partner"]:
                partner = partner_by_code(code=options["partner"])
                if partner is None:
                    raise CommandError(f"No agency has the code {options['partner']!r}.")
                rep_ids = partner_rebuild_begin(partner.pk)
                counts = rebuild_all(partner_id=partner.pk, rep_ids=rep_ids, progress=progress)
                apps, skipped = rebuild_apps_narrow(partner_id=partner.pk, rep_ids=rep_ids, progress=progress)
                counts.update(apps)
            elif options["month"]:
                try:
                    month = parse_month(options["month"])
                except ValueError as err:
                    raise CommandError(f"--month takes YYYY-MM, not {options['month']!r}.") from err
                pending_settle()
                counts = rebuild_month(month=month, progress=progress)
                apps, skipped = rebuild_apps_narrow(month=month, progress=progress)
                counts.update(apps)
            else:
                counts, skipped = rebuild_everything(progress=progress), []
        self.stdout.write(self.style.SUCCESS("Rebuilt " + ", ".join(f"{name}: {n}" for name, n in counts.items())))
        if skipped:
            self.stdout.write("Not rebuilt (a full run rebuilds them): " + ", ".join(skipped))
