"""Background work of the LRS: copying Kizuna's own statements into its store."""

from django_tasks import task

from .mirror import own_statements_mirror_all


@task()
def lrs_mirror_task() -> int:
    """Every minute: copy the own statements that have settled since the last run."""
    return own_statements_mirror_all()


def enqueue_mirror() -> None:
    lrs_mirror_task.enqueue()
