"""Background work of the LRS: copying Kizuna's own statements into its store, forwarding to external LRSs."""

from django_tasks import task

from .forwarding import forward_all
from .mirror import own_statements_mirror_all


@task()
def lrs_mirror_task() -> int:
    """Every minute: copy the own statements that have settled since the last run."""
    return own_statements_mirror_all()


def enqueue_mirror() -> None:
    lrs_mirror_task.enqueue()


@task()
def lrs_forward_task() -> int:
    """Every minute: send each external LRS the statements waiting for it."""
    return forward_all()


def enqueue_forward() -> None:
    lrs_forward_task.enqueue()
