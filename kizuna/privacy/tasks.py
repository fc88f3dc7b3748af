"""Background work of the privacy app: building a person's export, expiring old exports."""

from django_tasks import task


@task()
def data_export_build_task(export_id: int) -> int:
    """Build one person's export zip."""
    from .services import data_export_build

    export = data_export_build(export_id=export_id)
    return export.size or 0 if export else 0


@task()
def exports_expire_task() -> int:
    """Daily: delete exports older than a week."""
    from .services import data_exports_expire

    return data_exports_expire()


def enqueue_exports_expire() -> None:
    exports_expire_task.enqueue()
