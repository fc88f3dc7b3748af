from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "kizuna.live"
    label = "live"

    def ready(self) -> None:
        from kizuna.catalog.openers import CourseOpener, register_course_opener
        from kizuna.media.uses import MediaUse, register_media_use
        from kizuna.ops.repcache import watch_content, watch_people
        from kizuna.ops.schedule import register_job
        from kizuna.records.vocab import register_own

        from . import vocab
        from .models import LiveAudience, LiveSession, Registration
        from .selectors import recording_course_ids, recording_lets_watch, sessions_showing_video
        from .tasks import enqueue_reminders

        # A published recording opens its course to everyone the session was for (catalog.openers).
        watch_content(LiveSession, LiveAudience)
        watch_people(Registration, "rep")
        register_own(*vocab.OWN_TERMS)
        # A published recording is an archive for everyone the session was for: they may open its course and
        # watch its video, whether they attended or not.
        register_course_opener(CourseOpener(name="live_recordings", course_ids=recording_course_ids))
        register_media_use(
            MediaUse(name="live_recordings", shown_in=sessions_showing_video, lets_watch=recording_lets_watch)
        )
        # Every ten minutes, so the hour-before reminder arrives between 50 and 60 minutes before the start.
        register_job(id="live_session_reminders", enqueue=enqueue_reminders, minute="*/10")
