from typing import Any

from django.apps import AppConfig


def _saml_session_started(sender: Any, request: Any, user: Any, sociallogin: Any = None, **kwargs: Any) -> None:
    if request is not None and sociallogin is not None and hasattr(request, "session"):
        from .slo import saml_session_start

        saml_session_start(request=request, user=user, sociallogin=sociallogin)


class SsoConfig(AppConfig):
    name = "kizuna.sso"
    label = "sso"

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        from kizuna.accounts import signin_rules
        from kizuna.ops.schedule import register_job

        from .selectors import password_refusal
        from .slo import sign_out_step
        from .tasks import enqueue_metadata_refresh

        # An organization that requires single sign-on refuses its people's passwords.
        signin_rules.register_password_rule(password_refusal)
        # A SAML sign-in is remembered for Single Logout, and signing out of Kizuna goes on to the IdP.
        user_logged_in.connect(_saml_session_started, dispatch_uid="kizuna-sso-saml-session")
        signin_rules.register_sign_out_step(sign_out_step)
        # SAML IdPs given by metadata URL are read again every night (a rolled-over certificate arrives by itself).
        register_job(id="sso_saml_metadata_refresh", enqueue=enqueue_metadata_refresh, hour=3, minute=40)
