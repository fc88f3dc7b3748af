"""Background work of ops: keeping the database cache's table in bounds."""

from django_tasks import task

from .dbcache import cache_cull


@task()
def cache_cull_task() -> int:
    """Remove the shared database cache's expired rows, and a share of the rest when it is over its size."""
    return cache_cull()


def enqueue_cache_cull() -> None:
    cache_cull_task.enqueue()
