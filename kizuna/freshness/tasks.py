"""Background work of freshness: the authors' weekly digest."""

from django_tasks import task

from .services import freshness_digest_send


@task()
def freshness_digest_task() -> int:
    """Send this week's review digests (once per author and week, even when the task runs twice)."""
    return freshness_digest_send()


def enqueue_digest() -> None:
    freshness_digest_task.enqueue()
