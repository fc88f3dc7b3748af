from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "kizuna.community"
    label = "community"

    def ready(self) -> None:
        from kizuna.records.vocab import register_own, register_published

        from . import vocab

        register_own(*vocab.OWN_TERMS)
        register_published(vocab.VOTED_UP, vocab.ACCEPTED)

        from kizuna.notifications.push import register_push_kind

        register_push_kind("community.answered", "community")  # answers to a question the rep follows
