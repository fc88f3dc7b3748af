"""URLs of field voice (現場の声) and content feedback."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("field-voice/", views.field_voice, name="field_voice"),
    path("field-voice/new/", views.field_voice_new, name="field_voice_new"),
    path("field-voice/inbox/", views.field_voice_inbox, name="field_voice_inbox"),
    path("field-voice/report/", views.field_voice_report, name="field_voice_report"),
    path("field-voice/report.csv", views.field_voice_report_csv, name="field_voice_report_csv"),
    path("field-voice/<int:voice_id>/", views.field_voice_detail, name="field_voice_detail"),
    path("field-voice/<int:voice_id>/answer/", views.field_voice_answer, name="field_voice_answer"),
    path("field-voice/<int:voice_id>/to-update/", views.field_voice_to_update, name="field_voice_to_update"),
    path("field-voice/<int:voice_id>/to-lesson/", views.field_voice_to_lesson, name="field_voice_to_lesson"),
    path("field-voice/<int:voice_id>/to-scenario/", views.field_voice_to_scenario, name="field_voice_to_scenario"),
    path("learn/lessons/<int:lesson_id>/feedback/", views.lesson_feedback, name="lesson_feedback"),
    path("feedback/", views.feedback_inbox, name="feedback_inbox"),
    path("feedback/lessons/<int:feedback_lesson_id>/", views.feedback_lesson, name="feedback_lesson"),
    path("feedback/<int:feedback_id>/handle/", views.feedback_handle, name="feedback_handle"),
]
