from django.urls import path

from . import views

app_name = "tokens"

urlpatterns = [
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke", views.api_token_revoke_view, name="api_token_revoke"),
]
