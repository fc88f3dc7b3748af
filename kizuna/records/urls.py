from django.urls import path

from . import views

urlpatterns = [
    path("xapi/vocab/<path:term>", views.xapi_vocab, name="xapi_vocab"),
]
