from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "kizuna.media"
    label = "media"

    def ready(self) -> None:
        from . import tasks  # noqa: F401 (connects the receiver that fails a video whose transcode gave up)
