from django.apps import AppConfig


class PlainConfig(AppConfig):
    name = "kizuna.plain"
    label = "plain"

    def ready(self) -> None:
        from kizuna.catalog.text_checks import register_term_check

        from .selectors import jargon_checker

        # A course is not published while an article uses an insider term the glossary does not explain.
        register_term_check(jargon_checker)
