from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kizuna.kpis"
    label = "kpis"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job
        from kizuna.records import projections

        from .projections import apply_statement, rebuild
        from .rollups import completion_refresh_all, sales_months_rebuild
        from .tasks import enqueue_completion_refresh

        projections.register(projections.AppProjection(name="kpis", apply=apply_statement, rebuild=rebuild))
        # Not derived from statements one by one but rebuilt with them: the sales rollup (from the loaded
        # figures) and the completion snapshot (from the progress projections, rebuilt before the apps').
        for name, rebuild_rollup in (("kpis_sales", sales_months_rebuild), ("kpis_completion", completion_refresh_all)):
            projections.register(projections.AppProjection(name=name, apply=_ignore, rebuild=rebuild_rollup))
        register_job(id="kpis_completion_refresh", enqueue=enqueue_completion_refresh, minute="*/10")


def _ignore(statement: object) -> None:
    """These rollups do not change with each statement."""
