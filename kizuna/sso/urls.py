from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("accounts/sso/", views.sso_start, name="start"),
    path("accounts/sso/sign-out/", views.saml_sign_out, name="saml_sign_out"),
    path("settings/sso/", views.providers, name="providers"),
    path("settings/sso/<int:provider_id>/", views.provider_edit, name="provider_edit"),
]
