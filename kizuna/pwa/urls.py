from django.urls import path

from . import views

app_name = "pwa"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("offline/saved/", views.saved, name="saved"),
    path("pwa/icons/<str:name>", views.icon, name="icon"),
    path("pwa/lessons/<int:lesson_id>/pack/", views.lesson_pack, name="lesson_pack"),
    path("pwa/courses/<int:course_id>/pack/", views.course_pack, name="course_pack"),
    path("pwa/next-up/pack/", views.next_up_pack, name="next_up_pack"),
    path("pwa/review/pack/", views.review_pack, name="review_pack"),
]
