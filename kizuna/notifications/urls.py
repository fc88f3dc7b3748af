from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/e-mail/", views.notification_email_preference, name="notification_email_preference"),
    path("notifications/<int:notification_id>/open/", views.notification_open, name="notification_open"),
]
