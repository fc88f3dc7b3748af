"""Background work of plain words: the authors' batched notice of the words reps asked about."""

from django_tasks import task

from .services import word_questions_notify


@task()
def word_questions_notify_task() -> int:
    """Tell the authors about the words asked since the last batch (each ask is reported once)."""
    return word_questions_notify()


def enqueue_word_questions_notice() -> None:
    word_questions_notify_task.enqueue()
