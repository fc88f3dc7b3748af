from django.apps import AppConfig


class LearningConfig(AppConfig):
    """The rep's pages (home, a course, a lesson, their progress) and the due-date reminders."""

    name = "kizuna.learning"
    label = "learning"

    def ready(self) -> None:
        from django.conf import settings

        from kizuna.ops.schedule import register_job

        from .tasks import enqueue_reminders

        register_job(id="reminders", enqueue=enqueue_reminders, hour=settings.REMINDER_HOUR, minute=0)

        from kizuna.notifications.push import register_push_kind

        register_push_kind("learning.due_soon", "assignments")
        register_push_kind("learning.overdue", "assignments")
