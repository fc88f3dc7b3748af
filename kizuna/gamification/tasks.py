"""Background work of gamification."""

from django_tasks import task


@task()
def gamification_rebuild_task() -> int:
    """Re-score every statement under the current rules (after the principal changes them)."""
    from .projections import rebuild

    return rebuild()
