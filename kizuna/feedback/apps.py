from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "kizuna.feedback"
    label = "feedback"

    def ready(self) -> None:
        from kizuna.records.vocab import register_own

        from . import vocab

        register_own(*vocab.OWN_TERMS)
