"""Partners, teams and people: the admin's screens and the manager's view of their own agency."""

from django.urls import path

from . import views

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
]
