"""GET /api/v1/entitlements: what a rep, or every rep of an agency, may do now (for the sales systems)."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import ValidationError

from kizuna.ops.bounds import Id
from kizuna.orgs.access import access_partner_for_user, membership_of, visible_reps

from .selectors import entitlements_by_rep, rep_for_lookup

router = Router(tags=["entitlements"])


class CertificationRef(Schema):
    slug: str
    name: str


class EntitlementOut(Schema):
    code: str = Field(description="The entitlement's code, e.g. sell-cloud-pro")
    name: str
    certification: CertificationRef
    since: datetime | None
    expires_at: datetime | None = Field(description="null: does not expire")


class RepRef(Schema):
    public_id: str
    email: str
    name: str
    partner_id: int | None


class RepEntitlementsOut(Schema):
    rep: RepRef
    entitlements: list[EntitlementOut]


class PartnerEntitlementsOut(Schema):
    partner: dict[str, Any]
    items: list[RepEntitlementsOut]
    count: int


def _rep(rep: Any) -> dict[str, Any]:
    m = membership_of(rep)
    return {
        "public_id": str(rep.public_id),
        "email": rep.email,
        "name": rep.name,
        "partner_id": m.organization_id if m else None,
    }


@router.get(
    "/entitlements",
    response=RepEntitlementsOut | PartnerEntitlementsOut,
    url_name="entitlements",
    summary="What a rep or an agency's reps may do now",
)
def entitlements(request: HttpRequest, rep: str | None = None, partner: Id | None = None) -> dict[str, Any]:
    """Give `rep` (public id or e-mail) for one rep, or `partner` (id) for every active rep of an agency.

    Only entitlements of certifications held now are listed (expired and suspended ones are not).
    A partner manager's token sees only their own agency; a rep's only themselves.
    """
    user = request.auth  # type: ignore[attr-defined]
    if rep:
        found = rep_for_lookup(user, rep)
        return {"rep": _rep(found), "entitlements": entitlements_by_rep([found.pk])[found.pk]}
    if partner is not None:
        m = membership_of(user)
        if m is None or m.is_rep:
            raise Http404
        agency = access_partner_for_user(user, partner)
        reps = list(
            visible_reps(user)
            .filter(membership__organization=agency)
            .select_related("membership")
            .order_by("name", "pk")
        )
        held = entitlements_by_rep([r.pk for r in reps])
        items = [{"rep": _rep(r), "entitlements": held[r.pk]} for r in reps]
        return {"partner": {"id": agency.pk, "name": agency.name}, "items": items, "count": len(items)}
    raise ValidationError([{"type": "missing", "loc": ("query", "rep"), "msg": "Field required"}])
