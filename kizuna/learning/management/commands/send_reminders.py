"""Send the due-soon and overdue reminder e-mails now (the scheduler does this daily)."""

from django.core.management.base import BaseCommand

from kizuna.learning.reminders import reminders_send


class Command(BaseCommand):
    help = "E-mail reps whose required courses are due soon or overdue (each reminder is sent once)."

    def handle(self, *args: object, **options: object) -> None:
        sent = reminders_send()
        self.stdout.write(f"due soon: {sent['due_soon']}, overdue: {sent['overdue']}")
