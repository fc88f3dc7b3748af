"""Background work of the quiz studio: GIFT imports (kizuna.assessments.gift_imports)."""

from django_tasks import task

from .gift_imports import gift_import_run


@task()
def gift_import_task(job_id: int) -> None:
    """Run (or resume, after a dead worker) one GIFT import; running it again is harmless."""
    gift_import_run(job_id=job_id)
