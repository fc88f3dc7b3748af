"""SCIM 2.0 (RFC 7644) under /scim/v2/: an agency's directory provisions its people and teams."""

from django.urls import path

from . import token_views, views

app_name = "scim"

urlpatterns = [
    path("scim/v2/Users", views.users, name="users"),
    path("scim/v2/Users/<str:resource_id>", views.user, name="user"),
    path("scim/v2/Groups", views.groups, name="groups"),
    path("scim/v2/Groups/<str:resource_id>", views.group, name="group"),
    path("scim/v2/ServiceProviderConfig", views.service_provider_config, name="service_provider_config"),
    path("scim/v2/ResourceTypes", views.resource_types, name="resource_types"),
    path("scim/v2/ResourceTypes/<str:name>", views.resource_types, name="resource_type"),
    path("scim/v2/Schemas", views.schemas, name="schemas"),
    path("scim/v2/Schemas/<str:schema_id>", views.schemas, name="schema"),
    # The principal admin's tokens (a browser page, not SCIM).
    path("settings/scim/", token_views.scim_tokens, name="tokens"),
    path("settings/scim/<int:scim_token_id>/revoke/", token_views.scim_token_revoke_view, name="token_revoke"),
]
