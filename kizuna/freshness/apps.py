from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    name = "kizuna.freshness"
    label = "freshness"

    def ready(self) -> None:
        from kizuna.ops.repcache import watch_content
        from kizuna.ops.schedule import register_job

        from .models import Freshness
        from .tasks import enqueue_digest

        # Reps' lesson pages show when a lesson was last confirmed current.
        watch_content(Freshness)
        register_job(id="freshness_weekly_digest", enqueue=enqueue_digest, day_of_week="mon", hour=7, minute=30)
