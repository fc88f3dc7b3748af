from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "kizuna.assessments"
    label = "assessments"

    def ready(self) -> None:
        from kizuna.ops.repcache import watch_content
        from kizuna.records import projections
        from kizuna.records.vocab import register_own

        from . import kinds, vocab
        from .models import Question
        from .projections import apply_statement, rebuild

        watch_content(Question)  # review cards change through the rep's own statements
        register_own(*vocab.OWN_TERMS)
        projections.register(
            projections.AppProjection(name="assessments", apply=apply_statement, rebuild=rebuild, live=True)
        )
        kinds.register_kinds()
