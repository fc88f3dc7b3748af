from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "kizuna.feedback"
    label = "feedback"

    def ready(self) -> None:
        from kizuna.ops.repcache import watch_people
        from kizuna.records.vocab import register_own

        from . import vocab
        from .models import LessonFeedback

        register_own(*vocab.OWN_TERMS)
        watch_people(LessonFeedback, "rep")  # an author's note or status shows in the rep's lesson widget
