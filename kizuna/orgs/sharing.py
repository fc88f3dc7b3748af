"""What people of one agency may see of another's, and under which names (community, rankings, reviews).

Principal staff, and people of the viewer's own organization, are always named by their real names.
People of another agency are named as the principal chose for the area: real name, the agency's name
only, or a stable pseudonym. Whether a partner takes part across agencies at all in an area is set
by its agreement (`partner_sharing_set`).
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.ops.trail import Action, audit_record, changed_fields

from .models import NameDisplay, Organization, PartnerSharing, SharingPolicy

if TYPE_CHECKING:
    from kizuna.accounts.models import User


class Area:
    COMMUNITY = "community"
    RANKINGS = "rankings"
    REVIEWS = "reviews"
    ALL = (COMMUNITY, RANKINGS, REVIEWS)


# Without an agreement saying otherwise: the community is shared, rankings and peer review are not.
_DEFAULTS = {Area.COMMUNITY: True, Area.RANKINGS: False, Area.REVIEWS: False}
_POLICY_FIELD = {Area.COMMUNITY: "community_names", Area.RANKINGS: "ranking_names", Area.REVIEWS: "review_names"}
_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def sharing_policy() -> SharingPolicy:
    """Return the principal's naming policy (made with the defaults on first use)."""
    policy = SharingPolicy.objects.order_by("pk").first()
    return policy if policy is not None else SharingPolicy.objects.create()


def sharing_policy_set(*, community_names: str, ranking_names: str, review_names: str) -> SharingPolicy:
    """Store how people of other agencies are named in each area."""
    for value in (community_names, ranking_names, review_names):
        if value not in NameDisplay.values:
            raise ValueError(f"unknown name display {value!r}")
    with transaction.atomic():
        policy = sharing_policy()
        before = {"community": policy.community_names, "rankings": policy.ranking_names, "reviews": policy.review_names}
        policy.community_names = community_names
        policy.ranking_names = ranking_names
        policy.review_names = review_names
        policy.save()
        old, new = changed_fields(
            before, {"community": community_names, "rankings": ranking_names, "reviews": review_names}
        )
        if new:
            audit_record(action=Action.SHARING_UPDATE, target=policy, before=old, after=new)
    return policy


def cross_agency_allowed(partner: Organization | None, area: str) -> bool:
    """Return whether this partner takes part across agencies in this area (its agreement decides)."""
    if area not in _DEFAULTS:
        raise ValueError(f"unknown sharing area {area!r}")
    if partner is None or partner.is_principal:
        return True
    row = PartnerSharing.objects.filter(partner=partner).first()
    return _DEFAULTS[area] if row is None else bool(getattr(row, area))


def partners_sharing(area: str) -> set[int]:
    """Return the ids of the partners that take part across agencies in this area."""
    if area not in _DEFAULTS:
        raise ValueError(f"unknown sharing area {area!r}")
    rows = dict(PartnerSharing.objects.values_list("partner_id", area))
    partner_ids = Organization.objects.filter(kind=Organization.Kind.PARTNER).values_list("pk", flat=True)
    return {pk for pk in partner_ids if rows.get(pk, _DEFAULTS[area])}


def partner_sharing_set(*, partner: Organization, rankings: bool, reviews: bool, community: bool) -> PartnerSharing:
    """Record what this partner takes part in across agencies (called when an agreement takes effect)."""
    if partner.is_principal:
        raise ValueError("the principal's sharing is not set per agreement")
    row, _created = PartnerSharing.objects.update_or_create(
        partner=partner, defaults={"rankings": rankings, "reviews": reviews, "community": community}
    )
    return row


def credit_name(*, name: str, agency: str, by_name: bool) -> str:
    """How content published from a rep's own success credits them (a success story, a model roleplay take): by name
    and agency when they agreed to be named and the principal names people across agencies, else by agency only."""
    if by_name and name and sharing_policy().community_names == NameDisplay.REAL:
        return _("%(name)s (%(agency)s)") % {"name": name, "agency": agency}
    return _("A rep at %(agency)s") % {"agency": agency}


def pseudonym(person: "User") -> str:
    """Return a stable pseudonym for a person: the same everywhere, not reversible without the secret key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"pseudonym:{person.public_id}".encode(), hashlib.sha256).digest()
    code = "".join(_PSEUDONYM_ALPHABET[b % len(_PSEUDONYM_ALPHABET)] for b in digest[:6])
    return _("Rep %(code)s") % {"code": code}


@dataclass
class Namer:
    """Names people for one viewer in one area; load it once per page, then call `name()` per row."""

    viewer_org_id: int | None
    viewer_is_principal: bool
    display: str
    _agency_names: dict[int, str] = field(default_factory=dict)

    def shows_real_name(self, person: "User") -> bool:
        membership = getattr(person, "membership", None)
        if membership is None or membership.is_principal_staff:
            # The principal's coaches and staff speak under their own names to everyone.
            return True
        return (
            self.viewer_is_principal
            or membership.organization_id == self.viewer_org_id
            or self.display == NameDisplay.REAL
        )

    def name(self, person: "User") -> str:
        """Return how this viewer sees this person named."""
        if self.shows_real_name(person):
            return person.name or person.email
        if self.display == NameDisplay.AGENCY:
            return _("A rep at %(agency)s") % {"agency": self.agency_name(person)}
        return pseudonym(person)

    def agency_name(self, person: "User") -> str:
        """Return the person's agency name (always visible across agencies)."""
        membership = getattr(person, "membership", None)
        return membership.organization.name if membership is not None else ""


def names_for(viewer: "User", area: str) -> Namer:
    """Return the namer for this viewer in this area (one query for the policy)."""
    if area not in _POLICY_FIELD:
        raise ValueError(f"unknown sharing area {area!r}")
    membership = getattr(viewer, "membership", None)
    return Namer(
        viewer_org_id=membership.organization_id if membership is not None else None,
        viewer_is_principal=bool(membership is not None and membership.is_principal_staff),
        display=getattr(sharing_policy(), _POLICY_FIELD[area]),
    )
