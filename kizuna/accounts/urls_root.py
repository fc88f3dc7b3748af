"""Account pages at the site root: include with ``path("", include("kizuna.accounts.urls_root"))``."""

from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.profile, name="profile"),
]
