"""Reads of the SCIM app: tokens, and the people and teams one agency's directory may see (its own only)."""

import uuid
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kizuna.ops.tokens import token_hash
from kizuna.orgs.access import can_manage_people
from kizuna.orgs.selectors import organization_people, organization_teams

from .models import ScimToken


def scim_token_for_raw(raw: str) -> ScimToken | None:
    """Return the live token whose hash matches, with its organization, or None."""
    return (
        ScimToken.objects.select_related("organization")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )


def scim_people(*, organization: Any) -> QuerySet[Any]:
    """Return the agency's people as its directory sees them: everyone but those it deleted, oldest first."""
    return (
        organization_people(organization=organization)
        .exclude(scim__deleted_at__isnull=False)
        .select_related("scim")
        .order_by("date_joined", "pk")
    )


def scim_person(*, organization: Any, resource_id: str) -> Any | None:
    """Return the agency's person with this SCIM id (their opaque public id), or None."""
    try:
        public_id = uuid.UUID(resource_id)
    except (ValueError, TypeError, AttributeError):
        return None
    return scim_people(organization=organization).filter(public_id=public_id).first()


def scim_teams(*, organization: Any) -> QuerySet[Any]:
    """Return the agency's teams as its directory sees them (SCIM groups), oldest first."""
    return (
        organization_teams(organization=organization)
        .exclude(scim__deleted_at__isnull=False)
        .select_related("scim")
        .order_by("created_at", "pk")
    )


def scim_team(*, organization: Any, resource_id: str) -> Any | None:
    """Return the agency's team with this SCIM id, or None."""
    if not resource_id.isdigit() or len(resource_id) > 12:
        return None
    return scim_teams(organization=organization).filter(pk=int(resource_id)).first()


def scim_team_members(*, organization: Any, teams: list[Any]) -> dict[int, list[Any]]:
    """Return each team's members (people the directory has not deleted), in one query."""
    members: dict[int, list[Any]] = defaultdict(list)
    for person in scim_people(organization=organization).filter(membership__team__in=teams):
        members[person.membership.team_id].append(person)
    return members


def scim_people_by_ids(*, organization: Any, resource_ids: list[str]) -> tuple[list[Any], list[str]]:
    """Return the agency's people with these SCIM ids, and the ids that name none of them."""
    wanted: dict[uuid.UUID, str] = {}
    unknown = []
    for resource_id in resource_ids:
        try:
            wanted[uuid.UUID(str(resource_id))] = resource_id
        except (ValueError, TypeError, AttributeError):
            unknown.append(str(resource_id))
    people = list(scim_people(organization=organization).filter(public_id__in=wanted))
    found = {p.public_id for p in people}
    unknown += [text for public_id, text in wanted.items() if public_id not in found]
    return people, unknown


def scim_tokens_for_admin(user: Any) -> QuerySet[ScimToken]:
    """Return every agency's provisioning tokens for a principal admin, newest first; nothing for anyone else."""
    if not can_manage_people(user):
        return ScimToken.objects.none()
    return ScimToken.objects.select_related("organization").order_by("-created_at", "-pk")


def access_scim_token_for_user(user: Any, token_id: int) -> ScimToken:
    try:
        return scim_tokens_for_admin(user).get(pk=token_id)
    except (ScimToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
