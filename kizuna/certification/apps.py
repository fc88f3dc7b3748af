from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "kizuna.certification"
    label = "certification"
    verbose_name = "Certification"

    def ready(self) -> None:
        from kizuna.notifications.subjects import register_subject
        from kizuna.ops.schedule import register_job
        from kizuna.records import projections
        from kizuna.records.vocab import register_not_learning, register_own

        from . import vocab
        from .projections import apply_statement, rebuild, rebuild_reps
        from .selectors import certification_states
        from .services import NOTIFICATION_SUBJECT
        from .tasks import enqueue_daily, enqueue_sweep

        register_own(*vocab.OWN_TERMS)
        # Earning, renewing or losing a certification is not learning: no learning day, no streak.
        register_not_learning(vocab.EARNED, vocab.RENEWED, vocab.EXPIRED, vocab.SUSPENDED, vocab.RESTORED)
        projections.register(
            projections.AppProjection(
                name="certification", apply=apply_statement, rebuild=rebuild, rebuild_reps=rebuild_reps
            )
        )
        register_subject(NOTIFICATION_SUBJECT, certification_states)
        register_job(id="certification_daily", enqueue=enqueue_daily, hour=6, minute=30)
        register_job(id="certification_webhook_sweep", enqueue=enqueue_sweep, minute="*/5")
        from kizuna.catalog.rollouts import register_rollout_kind

        from .rollouts import REQUIREMENT_ROLLOUT

        register_rollout_kind(REQUIREMENT_ROLLOUT)
