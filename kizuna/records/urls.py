from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("xapi/vocab/<path:term>", views.xapi_vocab, name="xapi_vocab"),
]
