"""Rebuild every progress projection from the statements."""

from django.core.management.base import BaseCommand

from kizuna.records.projections import rebuild_all


class Command(BaseCommand):
    help = "Throw away the progress projections and derive them again from all statements."

    def handle(self, *args: object, **options: object) -> None:
        counts = rebuild_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {counts['lesson_progress']} lesson progress rows, "
                f"{counts['course_progress']} course progress rows and {counts['learning_days']} learning days."
            )
        )
