"""URLs of cmi5: the studio's import, a cmi5 lesson's files, an AU's launch, the one-time fetch URL."""

from django.urls import path

from . import views

app_name = "cmi5"

urlpatterns = [
    path("studio/cmi5/import/", views.studio_cmi5_import, name="studio_cmi5_import"),
    path("studio/cmi5/lessons/<int:cmi5_lesson_id>/waive/", views.studio_cmi5_waive, name="studio_cmi5_waive"),
    path("learn/lessons/<int:cmi5_lesson_id>/cmi5/<path:au_path>", views.cmi5_file, name="cmi5_file"),
    path("learn/lessons/<int:cmi5_lesson_id>/au/<int:au_id>/launch/", views.au_launch, name="au_launch"),
    path("cmi5/lessons/<int:cmi5_lesson_id>/items/", views.cmi5_items, name="cmi5_items"),
    path("cmi5/fetch/<str:fetch_key>/", views.cmi5_fetch, name="fetch"),
]
