"""Rebuild every progress projection from the statements."""

from django.core.management.base import BaseCommand

from kizuna.records.projections import rebuild_everything


class Command(BaseCommand):
    help = "Throw away the progress projections and derive them again from all statements."

    def handle(self, *args: object, **options: object) -> None:
        counts = rebuild_everything()
        self.stdout.write(self.style.SUCCESS("Rebuilt " + ", ".join(f"{name}: {n}" for name, n in counts.items())))
