from django.apps import AppConfig


class PlainConfig(AppConfig):
    name = "kizuna.plain"
    label = "plain"

    def ready(self) -> None:
        from django.urls import reverse

        from kizuna.catalog.text_checks import register_term_check

        from .selectors import jargon_checker

        # Nothing a rep reads is published while it uses an insider term the glossary does not explain; the
        # author's message links to the glossary's list of those terms.
        register_term_check(jargon_checker, explain_url=lambda: reverse("plain:glossary") + "?unexplained=1")
