from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kizuna.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from kizuna.accounts.sessions import on_sign_out_everywhere

        from .services import sessions_end_record

        on_sign_out_everywhere(sessions_end_record)
