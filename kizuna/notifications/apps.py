from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kizuna.notifications"
    label = "notifications"
