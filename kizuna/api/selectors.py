"""Reads of the API app: tokens, and the statements a caller may see."""

import uuid
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404

from kizuna.orgs.access import can_manage_people, membership_of, visible_reps
from kizuna.orgs.models import Membership
from kizuna.records.models import Statement

from .models import ApiToken, hash_token

Role = Membership.Role


# --- Tokens ------------------------------------------------------------------------------------


def api_token_for_raw(raw: str) -> ApiToken | None:
    """Return the live token whose hash matches, with its person, or None."""
    return (
        ApiToken.objects.select_related("user__membership__organization", "user__membership__team")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
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


# --- Statements --------------------------------------------------------------------------------


def statement_owner_id(statement_id: uuid.UUID) -> int | None:
    """Return who stored the statement with this id, or None if nobody did yet."""
    return Statement.objects.filter(id=statement_id).values_list("actor_id", flat=True).first()


def statements_visible_to(user: Any, *, since: datetime | None = None, ascending: bool = False) -> QuerySet[Statement]:
    """Return the statements the user may read: their own; their reps' for a manager; all for admins and coaches."""
    m = membership_of(user)
    statements = Statement.objects.select_related("actor")
    if m is None:
        return statements.none()
    if m.role == Role.MANAGER:
        # Only what the reps did while at this agency, even if one of them moved here from another.
        statements = statements.filter(Q(actor=user) | Q(actor__in=visible_reps(user), partner_id=m.organization_id))
    elif m.role not in (Role.ADMIN, Role.COACH):
        statements = statements.filter(actor=user)
    if since is not None:
        statements = statements.filter(stored__gt=since)
    return statements.order_by("seq" if ascending else "-seq")
