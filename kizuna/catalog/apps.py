from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "kizuna.catalog"
    label = "catalog"

    def ready(self) -> None:
        from kizuna.media.uses import MediaUse, register_media_use
        from kizuna.ops.repcache import watch_content
        from kizuna.orgs.readiness import register_setup_check
        from kizuna.records.content import ContentSource, register_content_source

        from .selectors import (
            course_activity_data,
            lesson_activity_data,
            lesson_video_lets_watch,
            lessons_showing_video,
            version_lesson_count,
            video_use_in_course_link,
        )
        from .setup import required_course_steps

        # Courses, their versions, lessons and assignments decide every rep's next-up list.
        watch_content(*(model for model in self.get_models() if model.__name__ != "ReminderSent"))
        register_content_source(
            ContentSource(
                lesson_count=lambda version_id: version_lesson_count(version_id=version_id),
                lesson_activity=lesson_activity_data,
                course_activity=course_activity_data,
            )
        )
        register_media_use(
            MediaUse(
                name="lessons",
                shown_in=lessons_showing_video,
                lets_watch=lesson_video_lets_watch,
                use_link=video_use_in_course_link,
            )
        )
        register_setup_check(required_course_steps)
        from .rollouts import course_rollout_kind, register_rollout_kind

        register_rollout_kind(course_rollout_kind())
