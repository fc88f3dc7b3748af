from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kizuna.kpis"
    label = "kpis"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job
        from kizuna.records import projections
        from kizuna.records.vocab import register_not_learning, register_own

        from . import vocab
        from .projections import apply_statement, rebuild
        from .rollups import completion_refresh_all, sales_months_rebuild
        from .tasks import enqueue_completion_refresh, enqueue_experiment_readings, enqueue_experiment_release

        projections.register(projections.AppProjection(name="kpis", apply=apply_statement, rebuild=rebuild))
        # Not derived from statements one by one but rebuilt with them: the sales rollup (from the loaded
        # figures) and the completion snapshot (from the progress projections, rebuilt before the apps').
        for name, rebuild_rollup in (("kpis_sales", sales_months_rebuild), ("kpis_completion", completion_refresh_all)):
            projections.register(projections.AppProjection(name=name, apply=_ignore, rebuild=rebuild_rollup))
        register_job(id="kpis_completion_refresh", enqueue=enqueue_completion_refresh, minute="*/10")
        register_job(id="kpis_experiment_release", enqueue=enqueue_experiment_release, hour=0, minute=20)
        register_job(id="kpis_experiment_readings", enqueue=enqueue_experiment_readings, minute=35)
        register_own(*vocab.OWN_TERMS)
        register_not_learning(vocab.ALLOCATED)


def _ignore(statement: object) -> None:
    """These rollups do not change with each statement."""
