"""The one place that decides who may see which partner's people and records.

Views and API endpoints read partner-scoped data only through these helpers.
"No" is always a 404, as if the thing did not exist.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from .models import Membership, Organization, Team

Role = Membership.Role
if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kizuna.accounts.models import User

    # Whom these helpers may be asked about: a signed-in person or the anonymous visitor.
    Viewer: TypeAlias = User | AnonymousUser
else:
    User = get_user_model()


def membership_of(user: "Viewer | None") -> Membership | None:
    """Return the user's membership, or None for anonymous users and people without one."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def has_role(user: "Viewer", *roles: str) -> bool:
    m = membership_of(user)
    return m is not None and m.role in roles


def is_principal_staff(user: "Viewer") -> bool:
    return has_role(user, *Membership.PRINCIPAL_ROLES)


def can_manage_people(user: "Viewer") -> bool:
    return has_role(user, Role.ADMIN)


def can_author(user: "Viewer") -> bool:
    return has_role(user, Role.ADMIN, Role.AUTHOR)


def can_upload_video(user: "Viewer") -> bool:
    return has_role(user, Role.ADMIN, Role.AUTHOR, Role.COACH)


def can_see_rep_records(user: "Viewer") -> bool:
    """Whether the user may see individual reps' progress (not only aggregates)."""
    return has_role(user, Role.ADMIN, Role.COACH, Role.MANAGER)


def can_nominate_success(user: "Viewer") -> bool:
    """Whether the user may nominate a rep's success as a story (kizuna.stories): managers, coaches, admins."""
    return has_role(user, Role.ADMIN, Role.COACH, Role.MANAGER)


def role_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Require sign-in and one of the roles; everyone else gets a 404."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, *roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def visible_partners(user: "Viewer") -> QuerySet[Organization]:
    """Return the partner agencies whose people this user may see."""
    m = membership_of(user)
    partners = Organization.objects.filter(kind=Organization.Kind.PARTNER)
    if m is None:
        return partners.none()
    if m.is_principal_staff:
        return partners
    if m.role == Role.MANAGER:
        return partners.filter(pk=m.organization_id)
    return partners.none()


def visible_teams(user: "Viewer") -> QuerySet[Team]:
    """Return the partner teams this user may see."""
    return Team.objects.filter(organization__in=visible_partners(user))


def visible_reps(user: "Viewer") -> QuerySet[User]:
    """Return the reps whose individual records this user may see."""
    from .selectors import active_reps  # selectors build on this module's helpers

    m = membership_of(user)
    reps = active_reps()
    if m is None:
        return reps.none()
    if m.role in (Role.ADMIN, Role.COACH):
        return reps
    if m.role == Role.MANAGER:
        return reps.filter(membership__organization_id=m.organization_id)
    if m.role == Role.REP:
        return reps.filter(pk=m.user_id)
    return reps.none()


def visible_people(user: "Viewer") -> QuerySet[User]:
    """Return every person (any role) this user may see in people lists."""
    m = membership_of(user)
    people = User.objects.filter(membership__isnull=False)
    if m is None:
        return people.none()
    if m.role == Role.ADMIN:
        return people
    if m.role == Role.MANAGER:
        return people.filter(membership__organization_id=m.organization_id)
    return people.filter(pk=m.user_id)


def access_partner_for_user(user: "Viewer", partner_id: int) -> Organization:
    try:
        return visible_partners(user).get(pk=partner_id)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_team_for_user(user: "Viewer", team_id: int) -> Team:
    try:
        return visible_teams(user).select_related("organization").get(pk=team_id)
    except (Team.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_rep_for_user(user: "Viewer", rep_id: int) -> User:
    try:
        return visible_reps(user).select_related("membership__organization", "membership__team").get(pk=rep_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_person_for_user(user: "Viewer", person_id: int) -> User:
    try:
        return visible_people(user).select_related("membership__organization", "membership__team").get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def audit_organization_ids(user: "Viewer") -> list[int] | None:
    """Return whose audit trail the user may read: None for all (principal staff), else organization ids.

    A partner's manager reads their own agency's trail; everyone else none of it.
    """
    m = membership_of(user)
    if m is None:
        return []
    if m.is_principal_staff:
        return None
    if m.role == Role.MANAGER:
        return [m.organization_id]
    return []
