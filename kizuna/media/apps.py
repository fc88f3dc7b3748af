from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "kizuna.media"
    label = "media"

    def ready(self) -> None:
        from kizuna.ops.repcache import watch_content

        from . import tasks  # noqa: F401 (connects the receiver that fails a video whose transcode gave up)
        from .models import Video

        watch_content(Video)  # a lesson's video becoming ready changes the lesson page reps keep
