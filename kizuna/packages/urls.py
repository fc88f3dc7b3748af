"""URLs of packages: the studio's import, a package lesson's files, its SCO player and commits."""

from django.urls import path

from . import views

app_name = "packages"

urlpatterns = [
    path("studio/packages/import/", views.studio_package_import, name="studio_package_import"),
    path("learn/lessons/<int:package_lesson_id>/package/<path:path>", views.package_file, name="package_file"),
    path("learn/lessons/<int:package_lesson_id>/sco/<int:sco_id>/", views.sco_play, name="sco_play"),
    path("learn/lessons/<int:package_lesson_id>/nav/<slug:nav_request>/", views.sco_nav, name="sco_nav"),
    path("learn/lessons/<int:package_lesson_id>/sco/<int:sco_id>/commit/", views.sco_commit, name="sco_commit"),
    path("packages/lessons/<int:package_lesson_id>/items/", views.package_items, name="package_items"),
]
