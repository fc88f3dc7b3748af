"""JSON API of field voice: a rep (or their phone app) records an entry; the staff and managers list entries."""

import uuid
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from kizuna.catalog.selectors import products_all, topic_tags
from kizuna.ops.api_types import Mapped, Page
from kizuna.orgs.access import membership_of

from . import selectors, services
from .models import FieldVoice

router = Router(tags=["field voice"])


class FieldVoiceIn(Schema):
    id: uuid.UUID = Field(description="a new UUID per entry; send the same one when retrying (recorded once)")
    kind: Literal["question", "objection", "competitor"]
    text: str = Field(max_length=services.MAX_TEXT, description="what the customer said, in their words")
    product: str | None = Field(None, description="the product's code")
    deal_stage: str = Field("", description="first_contact, hearing, proposal, negotiation, closing, after_sale")
    industry: str = Field("", description="manufacturing, retail, it, finance, healthcare, real_estate, …")
    topics: list[str] = Field(default_factory=list, description="topic tag codes")


class FieldVoiceOut(Schema):
    id: int
    key: uuid.UUID
    rep_id: int
    partner_id: int
    kind: str
    text: str
    product: str | None
    deal_stage: str
    industry: str
    status: str
    answer: str
    answered_at: datetime | None
    content_kind: str
    created_at: datetime


class FieldVoiceFilters(Schema):
    status: Literal["new", "answered", "content"] | None = None
    kind: Literal["question", "objection", "competitor"] | None = None


def _out(voice: FieldVoice) -> dict[str, Any]:
    return {
        "id": voice.pk,
        "key": voice.key,
        "rep_id": voice.rep_id,
        "partner_id": voice.partner_id,
        "kind": voice.kind,
        "text": voice.text,
        "product": voice.product.slug if voice.product_id else None,
        "deal_stage": voice.deal_stage,
        "industry": voice.industry,
        "status": voice.status,
        "answer": voice.answer,
        "answered_at": voice.answered_at,
        "content_kind": voice.content_kind,
        "created_at": voice.created_at,
    }


@router.post("/field-voice", response={201: FieldVoiceOut}, summary="Record field voice (reps)")
def field_voice_create(request: HttpRequest, body: FieldVoiceIn) -> Any:
    """Record what a customer asked or objected to, or what a competitor offers. Idempotent on `id`."""
    user = request.auth  # type: ignore[attr-defined]
    m = membership_of(user)
    if m is None or not m.is_rep:
        raise PermissionDenied
    product = None
    if body.product:
        product = products_all().filter(slug=body.product).first()
        if product is None:
            raise services.FeedbackError(_("There is no product with this code."), field="product")
    voice = services.field_voice_record(
        rep=user,
        kind=body.kind,
        text=body.text,
        submission_id=body.id,
        product=product,
        tags=list(topic_tags().filter(slug__in=body.topics)),
        deal_stage=body.deal_stage,
        industry=body.industry,
    )
    return Status(201, _out(voice))


@router.get("/field-voice", response=list[FieldVoiceOut], summary="Field voice entries")
@paginate(Page)
def field_voice_list(request: HttpRequest, filters: Query[FieldVoiceFilters]) -> Any:
    """Newest first: a rep's own entries, a partner manager's agency's, or every entry for the principal's staff."""
    user = request.auth  # type: ignore[attr-defined]
    voices = selectors.voices_visible_to(user).select_related("product").order_by("-created_at", "-id")
    if filters.status:
        voices = voices.filter(status=filters.status)
    if filters.kind:
        voices = voices.filter(kind=filters.kind)
    return Mapped(voices, _out)
