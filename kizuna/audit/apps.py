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
