from django.urls import path

from . import views

app_name = "media"

urlpatterns = [
    path("studio/videos/", views.videos, name="videos"),
    path("studio/videos/<int:video_id>/", views.video_detail, name="video_detail"),
    path("studio/videos/<int:video_id>/delete", views.video_delete_view, name="video_delete"),
    path("videos/<uuid:key>/stream", views.video_stream, name="video_stream"),
    path("videos/<uuid:key>/phone", views.video_phone, name="video_phone"),
    path("videos/<uuid:key>/hls/master.m3u8", views.video_hls_master, name="video_hls_master"),
    path("videos/<uuid:key>/hls/<str:rendition>/<str:hls_file>", views.video_hls_file, name="video_hls_file"),
    path("videos/<uuid:key>/poster", views.video_poster, name="video_poster"),
    path("videos/<uuid:key>/status", views.video_status, name="video_status"),
]
