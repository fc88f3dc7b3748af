from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "kizuna.records"
    label = "records"
