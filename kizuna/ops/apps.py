from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kizuna.ops"
    label = "ops"

    def ready(self) -> None:
        from django.contrib import admin

        from .admin import register_the_rest

        # django.contrib.admin, first in INSTALLED_APPS, has loaded every app's admin module by now.
        register_the_rest(admin.site)
