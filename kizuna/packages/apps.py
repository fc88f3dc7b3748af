from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "kizuna.packages"
    label = "packages"

    def ready(self) -> None:
        from kizuna.records.vocab import register_published

        from . import kinds, vocab

        register_published(*vocab.PUBLISHED_VERBS)
        kinds.register_kinds()
