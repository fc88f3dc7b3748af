from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kizuna.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from kizuna.accounts.sessions import on_sign_out_everywhere
        from kizuna.ops.trail import register_trail_writer

        from .services import sessions_end_record, trail_write, trail_write_many

        register_trail_writer(one=trail_write, many=trail_write_many)
        on_sign_out_everywhere(sessions_end_record)

        # A person's own credentials (password, second factors) changing is on the trail too.
        from allauth.account import signals as account_signals
        from allauth.mfa import signals as mfa_signals

        from .services import CREDENTIAL_ACTIONS

        for name in CREDENTIAL_ACTIONS:
            signal = getattr(mfa_signals if name.startswith("authenticator_") else account_signals, name)
            signal.connect(_credential_receiver(name), dispatch_uid=f"kizuna-audit-{name}", weak=False)


def _credential_receiver(name: str) -> Any:
    def receive(sender: Any, user: Any, authenticator: Any = None, **kwargs: Any) -> None:
        from .services import credential_change_record

        credential_change_record(signal_name=name, user=user, authenticator=authenticator)

    return receive
