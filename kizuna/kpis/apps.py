from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kizuna.kpis"
    label = "kpis"

    def ready(self) -> None:
        from kizuna.ops.schedule import register_job
        from kizuna.records import projections
        from kizuna.records.vocab import register_not_learning, register_own

        from . import vocab
        from .projections import apply_statement, rebuild, rebuild_reps
        from .rollups import (
            completion_refresh_all,
            completion_refresh_partner,
            sales_months_rebuild,
            sales_months_rebuild_month,
            sales_months_rebuild_partner,
        )
        from .tasks import enqueue_completion_refresh, enqueue_experiment_readings, enqueue_experiment_release

        projections.register(
            projections.AppProjection(name="kpis", apply=apply_statement, rebuild=rebuild, rebuild_reps=rebuild_reps)
        )
        # Not derived from statements one by one but rebuilt with them, per agency: the sales rollup (from the
        # loaded figures; also per month) and the completion snapshot (from the progress projections, rebuilt
        # before the apps'). The principal's board sums the agencies' rows as it reads them.
        projections.register(
            projections.AppProjection(
                name="kpis_sales",
                apply=_ignore,
                rebuild=sales_months_rebuild,
                rebuild_partner=sales_months_rebuild_partner,
                rebuild_month=sales_months_rebuild_month,
            )
        )
        projections.register(
            projections.AppProjection(
                name="kpis_completion",
                apply=_ignore,
                rebuild=completion_refresh_all,
                rebuild_partner=completion_refresh_partner,
            )
        )
        register_job(id="kpis_completion_refresh", enqueue=enqueue_completion_refresh, minute="*/10")
        register_job(id="kpis_experiment_release", enqueue=enqueue_experiment_release, hour=0, minute=20)
        register_job(id="kpis_experiment_readings", enqueue=enqueue_experiment_readings, minute=35)
        register_own(*vocab.OWN_TERMS)
        register_not_learning(vocab.ALLOCATED)


def _ignore(statement: object) -> None:
    """These rollups do not change with each statement."""
