"""URLs of live sessions (ライブ研修)."""

from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("live/", views.live_sessions, name="live_sessions"),
    path("live/new/", views.live_session_new, name="live_session_new"),
    path("live/<int:live_session_id>/", views.live_session, name="live_session"),
    path("live/<int:live_session_id>/edit/", views.live_session_edit, name="live_session_edit"),
    path("live/<int:live_session_id>/invite.ics", views.live_session_ics, name="live_session_ics"),
    path("live/<int:live_session_id>/register", views.live_session_register, name="live_session_register"),
    path("live/<int:live_session_id>/unregister", views.live_session_unregister, name="live_session_unregister"),
    path("live/<int:live_session_id>/checkin", views.live_session_checkin, name="live_session_checkin"),
    path("live/<int:live_session_id>/audience", views.live_session_audience, name="live_session_audience"),
    path("live/<int:live_session_id>/attendance", views.live_session_attendance, name="live_session_attendance"),
    path("live/<int:live_session_id>/recording", views.live_session_recording, name="live_session_recording"),
    path(
        "live/<int:live_session_id>/recording/publish",
        views.live_session_recording_publish,
        name="live_session_recording_publish",
    ),
    path("live/reps/<int:rep_id>/", views.live_rep_attendance, name="live_rep_attendance"),
]
