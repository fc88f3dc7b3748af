"""Reads of the API app: integration tokens."""

from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404

from kizuna.ops.tokens import token_hash
from kizuna.orgs.access import can_manage_people

from .models import ApiToken

# --- Tokens ------------------------------------------------------------------------------------


def api_token_for_raw(raw: str) -> ApiToken | None:
    """Return the live token whose hash matches, with its person, or None."""
    return (
        ApiToken.objects.select_related("user__membership__organization", "user__membership__team")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )


def api_tokens_for_admin(user: Any) -> QuerySet[ApiToken]:
    """Return every token (live first, newest first) for a principal admin; nothing for anyone else."""
    if not can_manage_people(user):
        return ApiToken.objects.none()
    return ApiToken.objects.select_related("user", "created_by").order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-id"
    )


def access_api_token_for_user(user: Any, token_id: int) -> ApiToken:
    try:
        return api_tokens_for_admin(user).get(pk=token_id)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
