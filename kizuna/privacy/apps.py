from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kizuna.privacy"
    label = "privacy"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job

        from . import tasks

        register_job(id="privacy_exports_expire", enqueue=tasks.enqueue_exports_expire, hour=3, minute=40)
