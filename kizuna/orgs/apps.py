from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kizuna.orgs"
    label = "orgs"
