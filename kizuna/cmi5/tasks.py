"""Background work of cmi5: abandoning sessions whose AU was closed without terminating."""

from django_tasks import task

from .launching import cmi5_sessions_abandon_stale


@task()
def cmi5_abandon_task() -> int:
    """Every hour: sessions launched over a day ago and never terminated are abandoned."""
    return cmi5_sessions_abandon_stale()


def enqueue_abandon() -> None:
    cmi5_abandon_task.enqueue()
