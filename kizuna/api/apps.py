from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kizuna.api"
    label = "api"

    def ready(self) -> None:
        from kizuna.ops.error_pages import register_problem_renderer

        from .problems import error_problem

        # JSON callers meeting Django's own errors (a missing route, a 405, a CSRF failure) get our problems.
        register_problem_renderer(error_problem)
