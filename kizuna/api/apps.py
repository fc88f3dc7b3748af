from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kizuna.api"
    label = "api"

    def ready(self) -> None:
        from kizuna.ops.error_pages import register_problem_renderer

        from .problems import error_problem

        # JSON callers meeting Django's own errors (a missing route, a 405, a CSRF failure) get our problems.
        register_problem_renderer(error_problem)

        from kizuna.accounts.sessions import on_departure, on_sign_out_everywhere

        from .services import api_tokens_revoke_all

        # "Sign out everywhere" also ends what integrations do in the person's name.
        on_sign_out_everywhere(lambda user: api_tokens_revoke_all(user=user))
        # So does leaving (deactivated by hand or by the agency's directory); coming back restores none of them.
        on_departure(lambda user, left: api_tokens_revoke_all(user=user) if left else None)
