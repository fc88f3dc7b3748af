from django.apps import AppConfig


class PlainConfig(AppConfig):
    name = "kizuna.plain"
    label = "plain"
