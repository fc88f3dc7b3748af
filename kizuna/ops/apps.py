from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kizuna.ops"
    label = "ops"

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.backends.signals import connection_created

        from .admin import register_the_rest
        from .pgdates import use_c_timestamp_loader
        from .schedule import register_job
        from .tasks import enqueue_cache_cull

        # django.contrib.admin, first in INSTALLED_APPS, has loaded every app's admin module by now.
        register_the_rest(admin.site)
        # The database cache is culled here, not on a rep's request (kizuna.ops.dbcache).
        register_job(id="ops_cache_cull", enqueue=enqueue_cache_cull, minute=17)
        # PostgreSQL timestamps through psycopg's C loader (kizuna.ops.pgdates).
        connection_created.connect(use_c_timestamp_loader, dispatch_uid="kizuna.ops.pgdates")
