from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def _guided_start_remembered(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At sign-in, mark the session when this person already finished or skipped the guided start elsewhere."""
    from .first_run import DONE_SESSION_KEY
    from .models import GuidedStart

    session = getattr(request, "session", None)
    if session is not None and GuidedStart.objects.filter(user=user).exists():
        session[DONE_SESSION_KEY] = True


class SupportConfig(AppConfig):
    name = "kizuna.support"
    label = "support"

    def ready(self) -> None:
        from kizuna.notifications.subjects import register_subject

        from .selectors import TICKET_SUBJECT, ticket_states

        register_subject(TICKET_SUBJECT, ticket_states)
        user_logged_in.connect(_guided_start_remembered, dispatch_uid="kizuna-support-guided-start")
