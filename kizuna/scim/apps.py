from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "kizuna.scim"
    label = "scim"
