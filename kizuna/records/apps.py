from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "kizuna.records"
    label = "records"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job

        from .tasks import enqueue_partitions

        # Statements go to their month's partition on PostgreSQL: months are made three ahead, daily.
        register_job(id="records_statement_partitions", enqueue=enqueue_partitions, hour=3, minute=20)
