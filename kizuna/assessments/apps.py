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
        from .projections import apply_statement, rebuild, rebuild_partner

        watch_content(Question)  # review cards change through the rep's own statements
        register_own(*vocab.OWN_TERMS)
        projections.register(
            projections.AppProjection(
                name="assessments", apply=apply_statement, rebuild=rebuild, rebuild_partner=rebuild_partner, live=True
            )
        )
        kinds.register_kinds()

        from kizuna.notifications.push import register_push_kind

        register_push_kind("assessments.graded", "coaching")  # a grader's feedback on a written answer
        register_push_kind("assessments.review_due", "review")

        from django.conf import settings

        from kizuna.ops.schedule import register_job

        from .tasks import enqueue_review_due_pushes

        register_job(id="review_due_pushes", enqueue=enqueue_review_due_pushes, hour=settings.REMINDER_HOUR, minute=10)
