from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def _cache_table_create(using: str, **kwargs: object) -> None:
    """Make the shared database cache's table (sign-in counts live there) wherever the site is migrated."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _session_started(sender: object, request: object, user: object, **kwargs: object) -> None:
    from .sessions import session_started

    if request is not None and hasattr(request, "session"):
        session_started(request.session)


class AccountsConfig(AppConfig):
    name = "kizuna.accounts"
    label = "accounts"

    def ready(self) -> None:
        from kizuna.ops.repcache import watch_people

        from .models import User

        watch_people(User, "pk")  # name, language, joining date
        # Every path that migrates (make run, the tests, the bench, any deployment) then has the table.
        post_migrate.connect(_cache_table_create, sender=self, dispatch_uid="kizuna-accounts-cache-table")
        # Both clocks of a sign-in (idle timeout, absolute lifetime) start when it starts.
        user_logged_in.connect(_session_started, dispatch_uid="kizuna-accounts-session-started")
