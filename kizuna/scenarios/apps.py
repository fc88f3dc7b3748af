from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "kizuna.scenarios"
    label = "scenarios"

    def ready(self) -> None:
        from kizuna.catalog import kinds
        from kizuna.records import projections
        from kizuna.records import vocab as records_vocab

        from . import content_kind, vocab
        from . import projections as own_projections

        records_vocab.register_own(*vocab.OWN_TERMS)
        from kizuna.catalog.rollouts import register_rollout_kind

        from .rollouts import SCENARIO_ROLLOUT

        register_rollout_kind(SCENARIO_ROLLOUT)
        projections.register(
            projections.AppProjection(
                name="scenarios",
                apply=own_projections.apply_statement,
                rebuild=own_projections.rebuild,
                rebuild_partner=own_projections.rebuild_partner,
                live=True,
            )
        )
        kinds.register(content_kind.SCENARIO_KIND)
