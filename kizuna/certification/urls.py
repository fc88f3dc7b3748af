from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("certifications/", views.certifications, name="certifications"),
    path("certifications/new/", views.create, name="certification_create"),
    path("certifications/entitlements/", views.entitlements, name="entitlements"),
    path("certifications/partners/<int:partner_id>/", views.partner, name="certification_partner"),
    path("certifications/<int:certification_id>/", views.detail, name="certification_detail"),
    path("certifications/<int:certification_id>/edit/", views.edit, name="certification_edit"),
    path(
        "certifications/<int:certification_id>/requirements/",
        views.requirement_add,
        name="certification_requirement_add",
    ),
    path(
        "certifications/<int:certification_id>/requirements/<int:requirement_id>/remove/",
        views.requirement_remove,
        name="certification_requirement_remove",
    ),
    path("certifications/<int:certification_id>/reopen/", views.reopen, name="certification_reopen"),
    path("settings/webhooks/", views.webhooks, name="webhooks"),
    path("settings/webhooks/<int:endpoint_id>/", views.webhook_detail, name="webhook_detail"),
    path(
        "settings/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/replay/",
        views.webhook_replay,
        name="webhook_replay",
    ),
    path("settings/webhooks/<int:endpoint_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path(
        "settings/webhooks/<int:endpoint_id>/secret/rotate/",
        views.webhook_secret_rotate,
        name="webhook_secret_rotate",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/secret/retire/",
        views.webhook_secret_retire,
        name="webhook_secret_retire",
    ),
]
