"""Background work of records: the statements' monthly partitions made ahead (PostgreSQL)."""

from django_tasks import task

from .partitions import partitions_ensure


@task()
def statement_partitions_task() -> int:
    """Create the statements' partitions of this month and the next three (idempotent; nothing on SQLite)."""
    return len(partitions_ensure())


def enqueue_partitions() -> None:
    statement_partitions_task.enqueue()
