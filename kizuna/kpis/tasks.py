"""Background work of the KPI app."""

from django_tasks import task

from .rollups import completion_refresh_all


@task()
def completion_refresh_task() -> int:
    """Every few minutes: recount required courses finished per agency and team for the KPI board."""
    return completion_refresh_all()


def enqueue_completion_refresh() -> None:
    completion_refresh_task.enqueue()
