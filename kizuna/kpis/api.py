"""JSON API of sales figures: the CRM upserts them (principal admins' tokens), agencies read their own."""

import uuid
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate

from kizuna.ops.api_types import Mapped, Page
from kizuna.ops.bounds import Id
from kizuna.orgs.access import Role, access_partner_for_user, access_rep_for_user, membership_of

from . import services
from .models import SalesFigure
from .periods import month_key, parse_month

MAX_ITEMS = 5000

router = Router(tags=["kpis"])


class SalesFigureIn(Schema):
    rep_email: str = Field(description="the rep's e-mail address in Kizuna")
    month: str = Field(description="the month, as 2026-10")
    product: str | None = Field(None, description="the product's code, or null for figures without a product")
    calls: int = Field(ge=0, le=services.MAXIMA["calls"])
    appointments: int = Field(ge=0, le=services.MAXIMA["appointments"], description="at most calls")
    deals: int = Field(ge=0, le=services.MAXIMA["deals"], description="at most appointments")
    revenue: int = Field(ge=0, le=services.MAXIMA["revenue"], description="in yen")


class SalesFiguresIn(Schema):
    items: list[SalesFigureIn] = Field(max_length=MAX_ITEMS)


class UpsertOut(Schema):
    created: int
    updated: int


class SalesRepRef(Schema):
    id: int
    public_id: uuid.UUID
    name: str
    email: str


class SalesFigureOut(Schema):
    rep: SalesRepRef
    partner_id: int
    month: str
    product: str | None
    calls: int
    appointments: int
    deals: int
    revenue: int
    updated_at: datetime


class SalesFilters(Schema):
    partner_id: Id | None = Field(None, description="admins and coaches: one agency; managers: their own")
    rep_id: Id | None = None
    month: str | None = Field(None, description="one month, as 2026-10")


def _upsert(request: HttpRequest, body: SalesFiguresIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    m = membership_of(user)
    # Sales figures come from the principal's CRM: agencies read theirs but do not load them.
    if m is None or m.role != Role.ADMIN:
        raise Http404
    rows = [(i, item.dict()) for i, item in enumerate(body.items)]
    # A refused row raises KpiImportError, which the API answers as a "validation" problem listing every row.
    result = services.sales_figures_upsert(rows=rows, by=user, source=SalesFigure.Source.API)
    return {"created": result.created, "updated": result.updated}


@router.put("/kpis", response={200: UpsertOut}, summary="Create or update sales figures (all or nothing)")
def kpis_put(request: HttpRequest, body: SalesFiguresIn) -> Any:
    """Store each rep's figures for a month (and product); the same rep, month and product update the stored row.

    Idempotent: sending the same items again changes nothing. If one item is wrong, none is stored and the
    problem document lists every wrong item in `errors` (`loc` = ["body", "items", index, field]).
    Principal admins' tokens only.
    """
    return _upsert(request, body)


@router.post("/kpis", response={200: UpsertOut}, summary="Create or update sales figures (same as PUT)")
def kpis_post(request: HttpRequest, body: SalesFiguresIn) -> Any:
    """The same as PUT /kpis, for clients that only send POST."""
    return _upsert(request, body)


def _out(f: SalesFigure) -> dict[str, Any]:
    return {
        "rep": {"id": f.rep_id, "public_id": f.rep.public_id, "name": f.rep.name, "email": f.rep.email},
        "partner_id": f.partner_id,
        "month": month_key(f.period),
        "product": f.product.slug if f.product_id else None,
        "calls": f.calls,
        "appointments": f.appointments,
        "deals": f.deals,
        "revenue": f.revenue,
        "updated_at": f.updated_at,
    }


@router.get("/kpis", response=list[SalesFigureOut], summary="Sales figures")
@paginate(Page)
def kpis_list(request: HttpRequest, filters: Query[SalesFilters]) -> Any:
    """Sales figures by month (newest first), rep and product. A partner manager sees only their own agency."""
    user = request.auth  # type: ignore[attr-defined]
    m = membership_of(user)
    if m is None or m.role not in (Role.ADMIN, Role.COACH, Role.MANAGER):
        raise Http404
    figures = SalesFigure.objects.select_related("rep", "product").order_by(
        "-period", "rep__name", "rep_id", "product_id"
    )
    if m.role == Role.MANAGER:
        figures = figures.filter(partner_id=m.organization_id)
    if filters.partner_id is not None:
        figures = figures.filter(partner=access_partner_for_user(user, filters.partner_id))
    if filters.rep_id is not None:
        figures = figures.filter(rep=access_rep_for_user(user, filters.rep_id))
    if filters.month:
        month = parse_month(filters.month)
        if month is None:
            raise ValidationError(
                [{"type": "value_error", "loc": ("query", "month"), "msg": _("Write the month as 2026-10.")}]
            )
        figures = figures.filter(period=month)
    return Mapped(figures, _out)
