"""Rebuild every progress projection from the statements (a progress bar on a terminal)."""

from typing import Any

from django.core.management.base import BaseCommand

from kizuna.ops.progress import command_progress
from kizuna.records.projections import rebuild_everything


class Command(BaseCommand):
    help = "Throw away the progress projections and derive them again from all statements."

    def handle(self, *args: Any, **options: Any) -> None:
        with command_progress(self, options) as progress:
            counts = rebuild_everything(progress=progress)
        self.stdout.write(self.style.SUCCESS("Rebuilt " + ", ".join(f"{name}: {n}" for name, n in counts.items())))
