"""Background work of the records app."""

from django_tasks import task

from .reminders import reminders_send


@task()
def send_reminders_task() -> dict[str, int]:
    """Daily: e-mail reps whose required courses are due soon or overdue."""
    return reminders_send()
