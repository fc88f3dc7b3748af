"""The audit trail's screens (the paths are a contract: /audit/, /audit.csv, /audit/<id>/)."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_trail, name="trail"),
    path("audit.csv", views.audit_trail_csv, name="trail_csv"),
    path("audit/<int:audit_entry_id>/", views.audit_entry, name="entry"),
]
