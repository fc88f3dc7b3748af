from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "kizuna.stories"
    label = "stories"

    def ready(self) -> None:
        from kizuna.catalog.publish_hooks import register_course_published
        from kizuna.media.uses import MediaUse, register_media_use
        from kizuna.records.vocab import register_own

        from . import vocab
        from .selectors import stories_showing_video, story_video_lets_watch
        from .services import stories_credit_on_publish

        register_own(*vocab.OWN_TERMS)
        register_media_use(
            MediaUse(name="success_stories", shown_in=stories_showing_video, lets_watch=story_video_lets_watch)
        )
        # However the story's lesson is published (its page or the studio's course page), the rep is credited.
        register_course_published("success_stories", stories_credit_on_publish)
