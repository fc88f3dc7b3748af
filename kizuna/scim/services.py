"""Writes of the SCIM app: provisioning tokens, and what an agency's directory does to its people and teams.

A directory's token reaches only its own agency: every person and team it names is looked up inside that
agency (`selectors`), and everything it creates lands there. People are never deleted: deactivation (and
SCIM's DELETE) goes through `orgs.services.person_update`, as a deactivation by hand does: it stops them signing
in, ends their sessions and API tokens, and starts the agreement's retention clock
(`agreements.services.departed_reps_anonymize` anonymizes them when it runs out).
"""

from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from scim2_models import Context, Group, PatchOp

from kizuna.accounts.services import account_email_set
from kizuna.ops.errors import ApplicationError
from kizuna.ops.tokens import token_hash, token_new
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.services import OrgsError, person_create, person_update, team_create, team_members_set, team_rename

from .models import TOKEN_PREFIX, ScimGroup, ScimToken, ScimUser
from .resources import UserResource, user_email, user_name, user_resource, user_role
from .selectors import scim_people_by_ids, scim_team_members

TOUCH_SECONDS = 60


class ScimError(ApplicationError):
    """A provisioning request that cannot be done; answered as a SCIM error with this status and scimType."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"

    def __init__(self, message: Any = "", *, status: int = 400, scim_type: str | None = None) -> None:
        super().__init__(message)
        self.scim_status = status
        self.scim_type = scim_type


# --- Tokens ----------------------------------------------------------------------------------------------


def scim_token_create(*, organization: Any, name: str) -> tuple[ScimToken, str]:
    """Make a provisioning token for one agency; return it with the raw token (shown once, never stored)."""
    if organization.is_principal:
        raise ScimError(_("Provisioning tokens are for partner agencies only."))
    raw = token_new(TOKEN_PREFIX)
    with transaction.atomic():
        token = ScimToken.objects.create(
            organization=organization, name=(name.strip() or "SCIM")[:100], prefix=raw[:16], key_hash=token_hash(raw)
        )
        # The shown prefix only: the token itself is never kept, in the trail or elsewhere.
        audit_record(
            action=Action.SCIM_TOKEN_CREATE,
            target=token,
            target_label=f"{token.name} ({token.prefix})",
            organization_id=organization.pk,
            after={"name": token.name, "prefix": token.prefix},
        )
    return token, raw


def _revoke_record(token: ScimToken, now: Any) -> None:
    audit_record(
        action=Action.SCIM_TOKEN_REVOKE,
        target=token,
        target_label=f"{token.name} ({token.prefix})",
        organization_id=token.organization_id,
        before={"revoked_at": None},
        after={"revoked_at": now},
    )


def scim_tokens_revoke(*, organization: Any, prefix: str) -> int:
    """Revoke the agency's live tokens whose shown prefix starts with this text (at least 10 characters)."""
    prefix = prefix.strip()
    if len(prefix) < 10:
        return 0
    now = timezone.now()
    with transaction.atomic():
        tokens = list(
            ScimToken.objects.select_for_update().filter(
                organization=organization, prefix__startswith=prefix[:16], revoked_at__isnull=True
            )
        )
        for token in tokens:
            _revoke_record(token, now)
        return ScimToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)


def scim_token_revoke(*, token: ScimToken) -> bool:
    """Revoke one token (the admin's page); return False if it was revoked already."""
    now = timezone.now()
    with transaction.atomic():
        if not ScimToken.objects.select_for_update().filter(pk=token.pk, revoked_at__isnull=True).exists():
            return False
        _revoke_record(token, now)
        ScimToken.objects.filter(pk=token.pk).update(revoked_at=now)
    token.revoked_at = now
    return True


def scim_token_touch(*, token: ScimToken) -> None:
    """Note that the token was used, writing at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= TOUCH_SECONDS:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Users -----------------------------------------------------------------------------------------------


def _stored(resource: UserResource) -> dict[str, Any]:
    """The resource as kept in ScimUser.attributes: what the directory sent, minus what Kizuna decides."""
    data = resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    for key in ("id", "meta", "groups", "externalId", "password"):
        data.pop(key, None)
    return data


def _directory_user_name(resource: UserResource, email: str) -> str:
    """The directory's userName, kept only when it is not the address itself."""
    user_name = (resource.user_name or "").strip()[:255]
    return "" if user_name.lower() == email else user_name


def _orgs_error(err: OrgsError) -> ScimError:
    return ScimError(err.message, scim_type="invalidValue")


def _email_for(resource: UserResource, *, person: Any | None = None) -> str:
    email = user_email(resource)
    if not email:
        raise ScimError(_("userName (or a primary e-mail) must be an e-mail address."), scim_type="invalidValue")
    taken = get_user_model().objects.filter(email__iexact=email)
    if person is not None:
        taken = taken.exclude(pk=person.pk)
    if taken.exists():
        # Said the same way whoever holds it: another agency's people are not to be found through SCIM.
        raise ScimError(_("This userName is already in use."), status=409, scim_type="uniqueness")
    return email


def _write(*, person: Any, resource: UserResource, role_given: bool) -> Any:
    """Write what the directory says about an existing person of the agency."""
    membership = person.membership
    email = _email_for(resource, person=person)
    is_active = person.is_active if resource.active is None else bool(resource.active)
    role = user_role(resource) if role_given else membership.role
    try:
        person_update(
            person=person,
            updated_by=None,
            name=user_name(resource, email),
            team=membership.team,
            role=role,
            is_active=is_active,
        )
    except OrgsError as err:
        raise _orgs_error(err) from None
    account_email_set(user=person, email=email)
    link, _created = ScimUser.objects.get_or_create(user=person, defaults={"organization": membership.organization})
    link.external_id = (resource.external_id or "")[:255]
    link.user_name = _directory_user_name(resource, email)
    link.attributes = _stored(resource)
    link.deleted_at = None
    link.save()
    person.scim = link
    return person


def scim_user_create(*, organization: Any, resource: UserResource) -> tuple[Any, bool]:
    """Create a person in this agency (a rep unless the roles say manager); return them and whether they are new.

    A person of this agency whom the directory deleted before comes back (same records); anyone else
    already using the address is a conflict.
    """
    email = user_email(resource)
    returning = (
        get_user_model()
        .objects.filter(email__iexact=email, membership__organization=organization, scim__deleted_at__isnull=False)
        .select_related("membership__team", "membership__organization")
        .first()
        if email
        else None
    )
    with transaction.atomic():
        if returning is not None:
            return _write(person=returning, resource=resource, role_given=True), False
        email = _email_for(resource)
        try:
            person = person_create(
                name=user_name(resource, email),
                email=email,
                organization=organization,
                role=user_role(resource),
                invited_by=None,
                send_invitation=False,
            )
        except OrgsError as err:
            raise _orgs_error(err) from None
        ScimUser.objects.create(
            user=person,
            organization=organization,
            external_id=(resource.external_id or "")[:255],
            user_name=_directory_user_name(resource, email),
            attributes=_stored(resource),
        )
        if resource.active is False:
            person_update(
                person=person,
                updated_by=None,
                name=person.name,
                team=None,
                role=person.membership.role,
                is_active=False,
            )
    return person, True


def scim_user_replace(*, person: Any, resource: UserResource) -> Any:
    """Replace what the directory says about a person (PUT); their role changes only if roles are sent."""
    with transaction.atomic():
        return _write(person=person, resource=resource, role_given=resource.roles is not None)


def scim_user_patch(*, person: Any, patch: "PatchOp[Any]") -> Any:
    """Apply a PATCH (Entra ID's and Okta's shapes) to a person; deactivation ends their sessions and tokens."""
    resource = user_resource(person)
    roles_before = resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE).get("roles")
    patch.patch(resource)  # raises the library's SCIM errors (bad path, bad value), which the view answers
    roles_after = resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE).get("roles")
    with transaction.atomic():
        return _write(person=person, resource=resource, role_given=roles_before != roles_after)


def scim_user_delete(*, person: Any) -> None:
    """Deactivate the person and hide them from the directory; their records stay under the agreement's rules."""
    with transaction.atomic():
        membership = person.membership
        person_update(
            person=person,
            updated_by=None,
            name=person.name,
            team=membership.team,
            role=membership.role,
            is_active=False,
        )
        link, _created = ScimUser.objects.get_or_create(user=person, defaults={"organization": membership.organization})
        link.deleted_at = timezone.now()
        link.save(update_fields=["deleted_at", "updated_at"])


# --- Groups (teams) --------------------------------------------------------------------------------------


def _members(*, organization: Any, group: Group) -> list[Any]:
    values = [m.value for m in group.members or [] if m.value]
    people, unknown = scim_people_by_ids(organization=organization, resource_ids=values)
    if unknown:
        raise ScimError(
            _("No person of this agency has the id %(id)s.") % {"id": unknown[0]}, status=400, scim_type="invalidValue"
        )
    return people


def _team_name_taken(*, organization: Any, name: str, team: Any | None = None) -> ScimError | None:
    others = organization.teams.filter(name=name.strip())
    if team is not None:
        others = others.exclude(pk=team.pk)
    if name.strip() and others.exists():
        return ScimError(_("This agency already has a team with this name."), status=409, scim_type="uniqueness")
    return None


def _group_write(*, organization: Any, team: Any, group: Group, members: bool) -> Any:
    taken = _team_name_taken(organization=organization, name=group.display_name or "", team=team)
    if taken is not None:
        raise taken
    try:
        team_rename(team=team, name=group.display_name or "")
        if members:
            team_members_set(team=team, people=_members(organization=organization, group=group))
    except OrgsError as err:
        raise _orgs_error(err) from None
    link, _created = ScimGroup.objects.get_or_create(team=team)
    link.external_id = (group.external_id or "")[:255]
    link.deleted_at = None
    link.save()
    team.scim = link
    return team


def scim_group_create(*, organization: Any, group: Group) -> Any:
    """Create a team in this agency with these members; a team the directory deleted before comes back."""
    name = (group.display_name or "").strip()
    returning = organization.teams.filter(name=name, scim__deleted_at__isnull=False).first()
    with transaction.atomic():
        if returning is not None:
            return _group_write(organization=organization, team=returning, group=group, members=True)
        taken = _team_name_taken(organization=organization, name=name)
        if taken is not None:
            raise taken
        try:
            team = team_create(organization=organization, name=name)
        except OrgsError as err:
            raise _orgs_error(err) from None
        return _group_write(organization=organization, team=team, group=group, members=True)


def scim_group_replace(*, organization: Any, team: Any, group: Group) -> Any:
    """Replace a team's name, external id and members (PUT)."""
    with transaction.atomic():
        return _group_write(organization=organization, team=team, group=group, members=True)


def scim_group_patch(*, organization: Any, team: Any, patch: "PatchOp[Any]") -> Any:
    """Apply a PATCH to a team: rename, add or remove members (Entra ID's and Okta's shapes)."""
    from .resources import group_resource

    current = scim_team_members(organization=organization, teams=[team]).get(team.pk, [])
    group = group_resource(team, current)
    members_before = {m.value for m in group.members or []}
    patch.patch(group)
    members_after = {m.value for m in group.members or []}
    with transaction.atomic():
        return _group_write(organization=organization, team=team, group=group, members=members_before != members_after)


def scim_group_delete(*, team: Any) -> None:
    """Empty the team and hide it from the directory; the team stays with its assignments and history."""
    with transaction.atomic():
        team_members_set(team=team, people=[])
        link, _created = ScimGroup.objects.get_or_create(team=team)
        link.deleted_at = timezone.now()
        link.save(update_fields=["deleted_at", "updated_at"])
