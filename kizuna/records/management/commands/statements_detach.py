"""Archive old months of statements to storage and drop them from PostgreSQL, or bring one back."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.records.partitions import (
    archive_name,
    is_partitioned,
    parse_month,
    partition_restore,
    partitions_detach_before,
    partitions_list,
)


class Command(BaseCommand):
    help = (
        "Write each month's statements partition before --before YYYY-MM to storage (statements/archive/, "
        "gzip'd CSV) and detach and drop it; --restore YYYY-MM loads one back; --list shows the partitions. "
        "PostgreSQL only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--before", metavar="YYYY-MM", help="archive every month before this one")
        group.add_argument("--restore", metavar="YYYY-MM", help="load this archived month back")
        group.add_argument("--list", action="store_true", help="list the partitions and their estimated rows")

    def _month(self, text: str, option: str) -> Any:
        try:
            return parse_month(text)
        except ValueError as err:
            raise CommandError(f"{option} takes YYYY-MM, not {text!r}.") from err

    def handle(self, *args: Any, **options: Any) -> None:
        if not is_partitioned():
            raise CommandError("The statements table is partitioned on PostgreSQL only; here it is one plain table.")
        if options["list"]:
            for part in partitions_list():
                label = part.month.isoformat()[:7] if part.month else "default"
                self.stdout.write(f"{part.name}\t{label}\t~{max(part.rows, 0)} rows")
            return
        if options["restore"]:
            month = self._month(options["restore"], "--restore")
            try:
                rows = partition_restore(month)
            except ValueError as err:
                raise CommandError(str(err)) from err
            self.stdout.write(self.style.SUCCESS(f"Restored {rows} statements from {archive_name(month)}"))
            return
        before = self._month(options["before"], "--before")
        done = partitions_detach_before(before)
        for name, rows in done:
            self.stdout.write(f"{name}: {rows} statements archived and detached")
        self.stdout.write(self.style.SUCCESS(f"Detached {len(done)} month(s) before {before.isoformat()[:7]}"))
