from django.apps import AppConfig


class LrsConfig(AppConfig):
    name = "kizuna.lrs"
    label = "lrs"
    verbose_name = "xAPI LRS"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job

        from .tasks import enqueue_forward, enqueue_mirror

        register_job(id="lrs_mirror", enqueue=enqueue_mirror, minute="*")
        register_job(id="lrs_forward", enqueue=enqueue_forward, minute="*")
