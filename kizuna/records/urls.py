from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("me/progress/", views.my_progress, name="my_progress"),
    path("learn/courses/<int:course_id>/", views.course, name="course"),
    path("learn/lessons/<int:lesson_id>/", views.lesson, name="lesson"),
    path("learn/lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("xapi/vocab/<path:term>", views.xapi_vocab, name="xapi_vocab"),
    path("xapi/activities/course/<uuid:key>", views.xapi_course_activity, name="xapi_course_activity"),
    path("xapi/activities/lesson/<uuid:key>/v<int:number>", views.xapi_lesson_activity, name="xapi_lesson_activity"),
]
