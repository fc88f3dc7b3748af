from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "kizuna.live"
    label = "live"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job
        from kizuna.records.vocab import register_own

        from . import vocab
        from .tasks import enqueue_reminders

        register_own(*vocab.OWN_TERMS)
        # Every ten minutes, so the hour-before reminder arrives between 50 and 60 minutes before the start.
        register_job(id="live_session_reminders", enqueue=enqueue_reminders, minute="*/10")
