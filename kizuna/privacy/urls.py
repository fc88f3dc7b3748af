"""The privacy notice, the person's own data, and the erasure of departed people."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/<uuid:export_key>/download/", views.my_data_download, name="my_data_download"),
    path("people/erasure/", views.erasure_home, name="privacy_erasure"),
    path("people/<int:person_id>/erase/", views.person_erase, name="person_erase"),
]
