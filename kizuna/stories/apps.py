from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "kizuna.stories"
    label = "stories"

    def ready(self) -> None:
        from kizuna.media.uses import MediaUse, register_media_use
        from kizuna.records.vocab import register_own

        from . import vocab
        from .selectors import stories_showing_video, story_video_lets_watch

        register_own(*vocab.OWN_TERMS)
        register_media_use(
            MediaUse(name="success_stories", shown_in=stories_showing_video, lets_watch=story_video_lets_watch)
        )
