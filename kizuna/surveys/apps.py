from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kizuna.surveys"
    label = "surveys"

    def ready(self) -> None:
        from kizuna.records import projections
        from kizuna.records.vocab import register_own

        from . import kinds, vocab
        from .projections import apply_statement, rebuild

        register_own(*vocab.OWN_TERMS)
        projections.register(
            projections.AppProjection(name="survey_responses", apply=apply_statement, rebuild=rebuild, live=True)
        )
        kinds.register_kinds()
