from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "kizuna.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from kizuna.notifications.subjects import register_subject
        from kizuna.ops.schedule import register_job
        from kizuna.records import projections
        from kizuna.records import vocab as records_vocab

        from . import projections as own_projections
        from . import vocab
        from .selectors import review_states
        from .services.reviews import REVIEW_SUBJECT
        from .tasks import enqueue_review_reminders

        register_subject(REVIEW_SUBJECT, review_states)
        records_vocab.register_own(*vocab.OWN_TERMS)
        records_vocab.register_published(vocab.SUBMITTED)
        projections.register(
            projections.AppProjection(
                name="coaching",
                apply=own_projections.apply_statement,
                rebuild=own_projections.rebuild,
                rebuild_reps=own_projections.rebuild_reps,
                live=True,
            )
        )
        register_job(id="coaching_review_reminders", enqueue=enqueue_review_reminders, hour=9, minute=10)

        from kizuna.notifications.push import register_push_kind

        register_push_kind("coaching.review_received", "coaching")
