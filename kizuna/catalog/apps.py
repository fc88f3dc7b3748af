from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "kizuna.catalog"
    label = "catalog"
