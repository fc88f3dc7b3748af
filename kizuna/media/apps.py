from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "kizuna.media"
    label = "media"
