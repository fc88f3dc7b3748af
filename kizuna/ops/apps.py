from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kizuna.ops"
    label = "ops"
