from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "kizuna.gamification"
    label = "gamification"

    def ready(self) -> None:
        from kizuna.ops.repcache import watch_content
        from kizuna.records import projections

        from . import models
        from .projections import apply_statement, rebuild, rebuild_reps

        # A person's score, badges and kudos change through statements (records renews their token) or the
        # services that say so; rules, levels and badges change what everyone's strip says.
        watch_content(models.PointRule, models.Level, models.Badge, models.Spotlight)
        projections.register(
            projections.AppProjection(
                name="gamification", apply=apply_statement, rebuild=rebuild, rebuild_reps=rebuild_reps
            )
        )
