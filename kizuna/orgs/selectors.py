"""Reads of organizations and people for the admin and manager screens (always scoped by orgs.access)."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from .access import membership_of, visible_people
from .models import Membership, Organization, Team

if TYPE_CHECKING:
    from kizuna.accounts.models import User

Role = Membership.Role


# The active reps: a rep membership whose user may sign in. The two forms below say the same thing from either
# side of the one-to-one membership, so a query can start where it needs to without a subquery.
PartnerIds = Iterable[int] | QuerySet[Organization]


def active_rep_memberships(*, partner_ids: PartnerIds | None = None) -> QuerySet[Membership]:
    """Return the memberships of the active reps, of these partners (ids or a queryset) or of all."""
    memberships = Membership.objects.filter(role=Role.REP, user__is_active=True)
    if partner_ids is not None:
        memberships = memberships.filter(organization__in=partner_ids)
    return memberships


def rep_user_ids(*, partner_id: int) -> QuerySet[Any]:
    """Return the user ids of a partner's reps, active or not (a rebuild redoes the rows of both)."""
    return Membership.objects.filter(organization_id=partner_id, role=Role.REP).values_list("user_id", flat=True)


def active_reps(*, partner_ids: PartnerIds | None = None) -> QuerySet[Any]:
    """Return the active reps (users), of these partners (ids or a queryset) or of all."""
    reps = get_user_model().objects.filter(membership__role=Role.REP, is_active=True)
    if partner_ids is not None:
        reps = reps.filter(membership__organization__in=partner_ids)
    return reps


def partners_with_sharing() -> list[dict]:
    """Return every partner with what it takes part in across agencies (as its agreement says)."""
    from .sharing import Area, partners_sharing

    shared = {area: partners_sharing(area) for area in Area.ALL}
    return [
        {"partner": partner, **{area: partner.pk in shared[area] for area in Area.ALL}}
        for partner in Organization.objects.filter(kind=Organization.Kind.PARTNER)
    ]


def partners_with_counts() -> QuerySet[Organization]:
    """Return every partner with its number of teams, active reps and active managers."""
    return Organization.objects.filter(kind=Organization.Kind.PARTNER).annotate(
        team_count=Count("teams", distinct=True),
        rep_count=Count(
            "memberships",
            filter=Q(memberships__role=Role.REP, memberships__user__is_active=True),
            distinct=True,
        ),
        manager_count=Count(
            "memberships",
            filter=Q(memberships__role=Role.MANAGER, memberships__user__is_active=True),
            distinct=True,
        ),
    )


def teams_with_counts(*, organization: Organization) -> QuerySet[Team]:
    """Return the organization's teams with their number of active people."""
    return organization.teams.annotate(
        person_count=Count("memberships", filter=Q(memberships__user__is_active=True), distinct=True)
    )


def organizations_all() -> QuerySet[Organization]:
    """Return the principal first, then the partners by name."""
    return Organization.objects.order_by("-kind", "name")


def teams_all() -> QuerySet[Team]:
    return Team.objects.select_related("organization").order_by("organization__kind", "organization__name", "name")


def people_for(
    *,
    viewer: "User",
    organization_id: int | None = None,
    team_id: int | None = None,
    role: str = "",
    query: str = "",
    active: bool | None = None,
) -> QuerySet["User"]:
    """Return the people this viewer may see, filtered, with what the people list shows."""
    people = visible_people(viewer).select_related("membership__organization", "membership__team")
    if organization_id:
        people = people.filter(membership__organization_id=organization_id)
    if team_id:
        people = people.filter(membership__team_id=team_id)
    if role:
        people = people.filter(membership__role=role)
    if active is not None:
        people = people.filter(is_active=active)
    query = query.strip()
    if query:
        people = people.filter(Q(name__icontains=query) | Q(email__icontains=query))
    return people.order_by("-is_active", "membership__organization__kind", "membership__organization__name", "name")


def organizations_visible(*, viewer: "User") -> list[Organization]:
    """Return the organizations the viewer may filter the people list by."""
    m = membership_of(viewer)
    if m is None:
        return []
    if m.is_admin:
        return list(organizations_all())
    return [m.organization]


def invitation_status(*, person: "User") -> str:
    """Return "joined" once the person has set a password, "invited" while an invitation waits, else "not_invited"."""
    if person.has_usable_password() or person.last_login:
        return "joined"
    if person.invited_at:
        return "invited"
    return "not_invited"


def organization_people(*, organization: Organization) -> QuerySet["User"]:
    """Return every person of one organization (active or not), with their membership and team."""
    return (
        get_user_model()
        .objects.filter(membership__organization=organization)
        .select_related("membership__organization", "membership__team")
    )


def organization_teams(*, organization: Organization) -> QuerySet[Team]:
    """Return the teams of one organization."""
    return Team.objects.filter(organization=organization).select_related("organization")


def partner_by_code(*, code: str) -> Organization | None:
    """Return the partner agency with this code (any case), or None."""
    return Organization.objects.filter(kind=Organization.Kind.PARTNER, slug=code.strip().lower()).first()


def principal_staff_with_roles(*roles: str) -> QuerySet["User"]:
    """Return the active principal staff who hold one of these roles (whom content work is sent to)."""
    return get_user_model().objects.filter(
        is_active=True, membership__role__in=roles, membership__organization__kind=Organization.Kind.PRINCIPAL
    )


def partner_managers(*, partner_id: int) -> QuerySet["User"]:
    """Return the active managers of one partner agency."""
    return get_user_model().objects.filter(
        is_active=True, membership__role=Role.MANAGER, membership__organization_id=partner_id
    )
