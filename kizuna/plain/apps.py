from django.apps import AppConfig


class PlainConfig(AppConfig):
    name = "kizuna.plain"
    label = "plain"

    def ready(self) -> None:
        from django.urls import reverse

        from kizuna.catalog.text_checks import register_term_check
        from kizuna.catalog.text_levels import register_text_level
        from kizuna.ops.schedule import register_job

        from .selectors import jargon_checker, text_measure
        from .tasks import enqueue_word_questions_notice

        # Nothing a rep reads is published while it uses an insider term the glossary does not explain; the
        # author's message links to the glossary's list of those terms.
        register_term_check(jargon_checker, explain_url=lambda: reverse("plain:glossary") + "?unexplained=1")
        # A lesson's reading level is measured when its body is saved and stored (the studio's lists read it).
        register_text_level(text_measure)
        # The authors hear of reps' "I didn't understand this word" in one notice an hour, not one per ask.
        register_job(id="plain_word_questions", enqueue=enqueue_word_questions_notice, minute=5)
