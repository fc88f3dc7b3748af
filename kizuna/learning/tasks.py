"""Background work of the rep's learning."""

from django_tasks import task

from .reminders import reminders_send


@task()
def send_reminders_task() -> dict[str, int]:
    """Daily: e-mail reps whose required courses are due soon or overdue."""
    return reminders_send()


def enqueue_reminders() -> None:
    send_reminders_task.enqueue()
