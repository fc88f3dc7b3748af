from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "kizuna.gamification"
    label = "gamification"

    def ready(self) -> None:
        from kizuna.records import projections

        from .projections import apply_statement, rebuild

        projections.register(projections.AppProjection(name="gamification", apply=apply_statement, rebuild=rebuild))
