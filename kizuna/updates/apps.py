from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "kizuna.updates"
    label = "updates"

    def ready(self) -> None:
        from django.conf import settings

        from kizuna.ops.repcache import watch_content
        from kizuna.ops.schedule import register_job
        from kizuna.records.projections import AppProjection, register
        from kizuna.records.vocab import register_own

        from . import projections, vocab
        from .models import CheckQuestion, FlashUpdate
        from .tasks import enqueue_overdue_reminders

        watch_content(FlashUpdate, CheckQuestion)  # receipts change through the rep's own statements
        register_own(vocab.ACKNOWLEDGED, vocab.TYPE_FLASH_UPDATE)
        register(
            AppProjection(
                name="flash_update_receipts",
                apply=projections.receipt_apply,
                rebuild=projections.rebuild,
                rebuild_reps=projections.rebuild_reps,
                live=True,
            )
        )
        register_job(
            id="flash_update_reminders", enqueue=enqueue_overdue_reminders, hour=settings.REMINDER_HOUR, minute=5
        )

        from kizuna.notifications.push import register_push_kind

        register_push_kind("updates.published", "updates")

        from kizuna.catalog.rollouts import register_rollout_kind

        from .rollouts import UPDATE_ROLLOUT

        register_rollout_kind(UPDATE_ROLLOUT)
