"""Partners, teams and people: the admin's screens and the manager's view of their own agency."""

from django.urls import path

from . import audit_views, views

app_name = "orgs"

urlpatterns = [
    path("menu/", views.menu, name="menu"),
    path("partners/", views.partners, name="partners"),
    path("partners/<int:partner_id>/", views.partner, name="partner"),
    path("people/", views.people, name="people"),
    path("settings/sharing/", views.sharing_settings, name="sharing_settings"),
    path("settings/security/", views.security_settings, name="security_settings"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/import/", views.people_import, name="people_import"),
    path("people/import/template.csv", views.people_import_template, name="people_import_template"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/invite/", views.person_invite, name="person_invite"),
    path("people/<int:person_id>/active/", views.person_set_active, name="person_set_active"),
    path("audit/", audit_views.audit_trail, name="audit_trail"),
    path("audit.csv", audit_views.audit_trail_csv, name="audit_trail_csv"),
    path("audit/<int:audit_entry_id>/", audit_views.audit_entry, name="audit_entry"),
]
