"""URLs of the author's studio and the admin's assignments."""

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("xapi/activities/course/<uuid:key>", views.xapi_course_activity, name="xapi_course_activity"),
    path("xapi/activities/lesson/<uuid:key>/v<int:number>", views.xapi_lesson_activity, name="xapi_lesson_activity"),
    path("studio/", views.studio, name="studio"),
    path("studio/courses/new/", views.studio_course_new, name="studio_course_new"),
    path("studio/courses/<int:course_id>/", views.studio_course, name="studio_course"),
    path("studio/courses/<int:course_id>/publish/", views.studio_course_publish, name="studio_course_publish"),
    path("studio/courses/<int:course_id>/modules/new/", views.studio_module_new, name="studio_module_new"),
    path("studio/modules/<int:module_id>/", views.studio_module_edit, name="studio_module_edit"),
    path("studio/modules/<int:module_id>/lessons/new/", views.studio_lesson_new, name="studio_lesson_new"),
    path("studio/lessons/use/", views.studio_lesson_use, name="studio_lesson_use"),
    path("studio/lessons/<int:lesson_id>/", views.studio_lesson_edit, name="studio_lesson_edit"),
    path("studio/lessons/<int:lesson_id>/move/", views.studio_lesson_move, name="studio_lesson_move"),
    path("studio/lessons/<int:lesson_id>/delete/", views.studio_lesson_delete, name="studio_lesson_delete"),
    path("studio/markdown-preview/", views.studio_markdown_preview, name="studio_markdown_preview"),
    path("studio/products/", views.studio_products, name="studio_products"),
    path("studio/tags/", views.studio_tags, name="studio_tags"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/<int:assignment_id>/delete/", views.assignment_delete, name="assignment_delete"),
]
