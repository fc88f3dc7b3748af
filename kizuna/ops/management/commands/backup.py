"""Back the whole site up while it runs: the database (consistent copy), the media files and a manifest."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.ops.backup import BackupError, backup_create
from kizuna.ops.progress import command_progress


class Command(BaseCommand):
    help = "Write one timestamped backup folder (database, media files, manifest of counts and checksums)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="folder to write into (default: var/backups)")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.VAR_DIR) / "backups"
        try:
            with command_progress(self, options) as progress:
                folder = backup_create(output=output, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
