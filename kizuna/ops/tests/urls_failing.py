"""A URL map with one view that raises, and the project's error handlers."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from kizuna.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fails/", fails), *urlpatterns]
