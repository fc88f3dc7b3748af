from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "kizuna.support"
    label = "support"

    def ready(self) -> None:
        from kizuna.notifications.subjects import register_subject

        from .selectors import TICKET_SUBJECT, ticket_states

        register_subject(TICKET_SUBJECT, ticket_states)
