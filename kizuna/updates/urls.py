"""URLs of flash updates (速報)."""

from django.urls import path

from . import views

app_name = "updates"

urlpatterns = [
    path("updates/", views.updates, name="updates"),
    path("updates/new/", views.update_new, name="update_new"),
    path("updates/<int:update_id>/", views.update, name="update"),
    path("updates/<int:update_id>/edit/", views.update_edit, name="update_edit"),
    path("updates/<int:update_id>/delete/", views.update_delete, name="update_delete"),
    path("updates/<int:update_id>/answer/", views.update_answer, name="update_answer"),
    path("updates/<int:update_id>/ack/", views.update_ack, name="update_ack"),
    path("updates/<int:update_id>/read/", views.update_read, name="update_read"),
    path("updates/<int:update_id>/report/", views.update_report, name="update_report"),
    path("updates/<int:update_id>/remind/", views.update_remind, name="update_remind"),
    path("updates/<int:update_id>/photo", views.update_photo, name="update_photo"),
    path("updates/<int:update_id>/video", views.update_video, name="update_video"),
    path("updates/<int:update_id>/video/phone", views.update_video_phone, name="update_video_phone"),
    path("updates/<int:update_id>/poster", views.update_poster, name="update_poster"),
    path("updates/<int:update_id>/video-status", views.update_video_status, name="update_video_status"),
    path("xapi/activities/flash-update/<uuid:update_key>", views.update_activity, name="update_activity"),
]
