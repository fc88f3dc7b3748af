from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "kizuna.analytics"
    label = "analytics"
