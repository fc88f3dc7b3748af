from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kizuna.surveys"
    label = "surveys"

    def ready(self) -> None:
        from kizuna.notifications.subjects import register_subject
        from kizuna.records import projections
        from kizuna.records.vocab import register_own

        from . import kinds, vocab
        from .projections import apply_statement, rebuild, rebuild_reps
        from .selectors import survey_answer_states
        from .services import VERSION_SUBJECT

        register_own(*vocab.OWN_TERMS)
        register_subject(VERSION_SUBJECT, survey_answer_states)
        projections.register(
            projections.AppProjection(
                name="survey_responses", apply=apply_statement, rebuild=rebuild, rebuild_reps=rebuild_reps, live=True
            )
        )
        kinds.register_kinds()
