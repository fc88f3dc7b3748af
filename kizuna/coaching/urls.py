from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("coach/", views.coach_home, name="coach_home"),
    path("roleplay/", views.roleplay_home, name="roleplay_home"),
    path("roleplay/new/", views.roleplay_new, name="roleplay_new"),
    path("roleplay/calibration/", views.roleplay_calibration, name="roleplay_calibration"),
    path("roleplay/<int:roleplay_id>/", views.roleplay_detail, name="roleplay_detail"),
    path("roleplay/<int:roleplay_id>/edit/", views.roleplay_edit, name="roleplay_edit"),
    path("roleplay/<int:roleplay_id>/publish", views.roleplay_publish, name="roleplay_publish"),
    path("roleplay/<int:roleplay_id>/assign/", views.roleplay_assign, name="roleplay_assign"),
    path("roleplay/<int:roleplay_id>/assign/rep", views.roleplay_assign_rep, name="roleplay_assign_rep"),
    path(
        "roleplay/<int:roleplay_id>/assign/<int:target_id>/delete",
        views.roleplay_target_delete,
        name="roleplay_target_delete",
    ),
    path("roleplay/<int:roleplay_id>/record/", views.roleplay_record, name="roleplay_record"),
    path("roleplay/<int:roleplay_id>/uploads", views.upload_create, name="roleplay_upload_create"),
    path("roleplay/uploads/<uuid:upload_key>", views.upload_chunk, name="roleplay_upload"),
    path("roleplay/uploads/<uuid:upload_key>/finish", views.upload_finish, name="roleplay_upload_finish"),
    path("roleplay/takes/<int:submission_id>/", views.roleplay_take, name="roleplay_take"),
    path("roleplay/takes/<int:submission_id>/comments", views.take_comment, name="roleplay_take_comment"),
    path("roleplay/takes/<int:submission_id>/review", views.take_review, name="roleplay_take_review"),
    path("roleplay/takes/<int:submission_id>/consent", views.take_consent, name="roleplay_take_consent"),
    path("roleplay/takes/<int:submission_id>/reference", views.take_reference, name="roleplay_take_reference"),
    path("roleplay/takes/<int:submission_id>/publish", views.take_publish, name="roleplay_take_publish"),
    path("roleplay/takes/<int:submission_id>/calibrate", views.take_calibrate, name="roleplay_take_calibrate"),
    path("roleplay/video/<str:video_token>", views.roleplay_video, name="roleplay_video"),
    path("roleplay/poster/<str:video_token>", views.roleplay_poster, name="roleplay_poster"),
    # Last, so that the isolation walk (which posts to every route as an insider too) deletes the take last.
    path("roleplay/takes/<int:submission_id>/delete", views.take_delete, name="roleplay_take_delete"),
]
