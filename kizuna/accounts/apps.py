from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _cache_table_create(using: str, **kwargs: object) -> None:
    """Make the shared database cache's table (sign-in counts live there) wherever the site is migrated."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "kizuna.accounts"
    label = "accounts"

    def ready(self) -> None:
        from kizuna.ops.repcache import watch_people

        from .models import User

        watch_people(User, "pk")  # name, language, joining date
        # Every path that migrates (make run, the tests, the bench, any deployment) then has the table.
        post_migrate.connect(_cache_table_create, sender=self, dispatch_uid="kizuna-accounts-cache-table")
