"""Background work of the KPI app."""

from django_tasks import task

from .rollups import completion_refresh_all


@task()
def completion_refresh_task() -> int:
    """Every few minutes: recount required courses finished per agency and team for the KPI board."""
    return completion_refresh_all()


def enqueue_completion_refresh() -> None:
    completion_refresh_task.enqueue()


@task()
def experiment_release_task() -> int:
    """Every night: give the course to the experiments' reps whose month (wave, or the holdout's end) has come."""
    from .services import experiment_release_due

    return experiment_release_due()


def enqueue_experiment_release() -> None:
    experiment_release_task.enqueue()


@task()
def experiment_readings_task() -> int:
    """Every hour: store the readings of experiments whose figures or completions changed, so no page computes them."""
    from .rollouts import experiment_readings_refresh

    return experiment_readings_refresh()


def enqueue_experiment_readings() -> None:
    experiment_readings_task.enqueue()
