from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "kizuna.updates"
    label = "updates"

    def ready(self) -> None:
        from kizuna.records.projections import AppProjection, register
        from kizuna.records.vocab import register_own

        from . import projections, vocab

        register_own(vocab.ACKNOWLEDGED, vocab.TYPE_FLASH_UPDATE)
        register(
            AppProjection(
                name="flash_update_receipts", apply=projections.receipt_apply, rebuild=projections.rebuild, live=True
            )
        )
