from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kizuna.notifications"
    label = "notifications"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job

        from . import tasks

        register_job(id="notifications_prune", enqueue=tasks.enqueue_prune, hour=3, minute=20)
