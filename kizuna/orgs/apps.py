from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def _mfa_check(sender: object, request: object, user: object, **kwargs: object) -> None:
    from .security import mfa_check_at_sign_in

    mfa_check_at_sign_in(request=request, user=user)


class OrgsConfig(AppConfig):
    name = "kizuna.orgs"
    label = "orgs"

    def ready(self) -> None:
        user_logged_in.connect(_mfa_check, dispatch_uid="kizuna-orgs-mfa-check")
