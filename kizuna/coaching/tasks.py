"""Background work of coaching."""

from django_tasks import task

from .services import review_reminders_send


@task()
def review_reminders_task() -> dict[str, int]:
    """Daily: remind reviewers of overdue roleplay reviews; give up long-overdue peer reviews."""
    return review_reminders_send()


def enqueue_review_reminders() -> None:
    review_reminders_task.enqueue()
