from django.urls import path

from . import views

app_name = "lrs"

urlpatterns = [
    path("xapi/", views.about, name="root"),
    path("xapi/about", views.about, name="about"),
    path("xapi/statements", views.statements, name="statements"),
]
