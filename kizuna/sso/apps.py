from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "kizuna.sso"
    label = "sso"

    def ready(self) -> None:
        from kizuna.accounts import signin_rules

        from .selectors import password_refusal

        # An organization that requires single sign-on refuses its people's passwords.
        signin_rules.register_password_rule(password_refusal)
