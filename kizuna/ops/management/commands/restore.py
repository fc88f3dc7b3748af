"""Restore a backup folder into an empty database and media folder (or over them with --force)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.ops.backup import BackupError, backup_restore
from kizuna.ops.progress import command_progress


class Command(BaseCommand):
    help = "Restore a backup made by `backup`; refuses a database or media folder that is not empty without --force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the backup folder (kizuna-backup-…)")
        parser.add_argument("--force", action="store_true", help="replace what the database and media folder hold")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with command_progress(self, options) as progress:
                manifest = backup_restore(source=options["backup"], force=options["force"], progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Restored {len(tables)} tables ({sum(t['rows'] for t in tables.values())} rows) and "
            f"{manifest['media']['count']} media files; every count and checksum matches the manifest."
        )
