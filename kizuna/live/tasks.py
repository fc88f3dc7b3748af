"""Background work of live sessions: calendar invitations and reminders."""

from django_tasks import task

from .services import live_invitations_send, live_reminders_send


@task()
def send_invitations_task(registration_ids: list[int], method: str) -> int:
    """E-mail calendar invitations (or cancellations) to these registrations."""
    return live_invitations_send(registration_ids=registration_ids, method=method)


@task()
def live_reminders_task() -> int:
    """Every few minutes: remind registered reps a day and an hour before their sessions."""
    return live_reminders_send()


def enqueue_reminders() -> None:
    live_reminders_task.enqueue()
