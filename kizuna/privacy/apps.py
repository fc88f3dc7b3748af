from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kizuna.privacy"
    label = "privacy"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job

        from . import tasks

        register_job(id="privacy_exports_expire", enqueue=tasks.enqueue_exports_expire, hour=3, minute=40)

        from kizuna.agreements.services import register_retention_eraser

        from .services import person_erase_after_retention

        # When an agreement's retention period of a departed rep runs out, their data goes by every app's rule.
        register_retention_eraser(person_erase_after_retention)
