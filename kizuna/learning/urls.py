from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/progress/", views.my_progress, name="my_progress"),
    path("learn/courses/", views.library, name="library"),
    path("learn/courses/<int:course_id>/", views.course, name="course"),
    path("learn/lessons/<int:lesson_id>/", views.lesson, name="lesson"),
    path("learn/lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
]
