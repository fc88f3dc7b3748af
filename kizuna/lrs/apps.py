from django.apps import AppConfig


class LrsConfig(AppConfig):
    name = "kizuna.lrs"
    label = "lrs"
    verbose_name = "xAPI LRS"
