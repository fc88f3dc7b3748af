"""JSON API of the community: the questions a person may see (newest activity first, or searched), and one
question with its answers — names and visibility exactly as on the pages."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kizuna.ops.bounds import MAX_OFFSET, Id

from . import selectors

router = Router(tags=["community"])
MAX_LIMIT = 50


class AnswerOut(Schema):
    id: int
    author: str = Field(description="the author's name as the caller sees it (real name, agency or pseudonym)")
    body_html: str = Field(description="sanitized HTML of the Markdown text")
    by_coach: bool
    score: int
    accepted: bool
    hidden: bool
    created_at: datetime


class QuestionOut(Schema):
    id: int
    title: str
    author: str
    product: str | None = Field(description="the product's code")
    topics: list[str] = Field(description="topic tag codes")
    answer_count: int
    accepted_answer_id: int | None
    hidden: bool
    created_at: datetime
    last_activity_at: datetime


class QuestionDetailOut(QuestionOut):
    body_html: str
    answers: list[AnswerOut]


class QuestionList(Schema):
    items: list[QuestionOut]
    count: int = Field(description="matching questions (a search counts at most the newest 1,000 matches)")


class QuestionFilters(Schema):
    q: str = Field("", max_length=200, description="search words (Japanese or English)")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _question(q: Any) -> dict[str, Any]:
    return {
        "id": q.pk,
        "title": q.title,
        "author": q.author_name,
        "product": q.product.slug if q.product_id else None,
        "topics": [t.slug for t in q.tags.all()],
        "answer_count": q.answer_count,
        "accepted_answer_id": q.accepted_answer_id,
        "hidden": q.is_hidden,
        "created_at": q.created_at,
        "last_activity_at": q.last_activity_at,
    }


@router.get("/community/questions", response=QuestionList, summary="List or search community questions")
def community_questions(request: HttpRequest, filters: Query[QuestionFilters]) -> Any:
    """The questions the caller may see: newest activity first, or best match first when `q` is given."""
    user = request.auth  # type: ignore[attr-defined]
    items, count = selectors.question_slice(user, q=filters.q, limit=filters.limit, offset=filters.offset)
    return {"items": [_question(q) for q in items], "count": count}


@router.get(
    "/community/questions/{community_question_id}", response=QuestionDetailOut, summary="One community question"
)
def community_question(request: HttpRequest, community_question_id: Id) -> Any:
    """A question with the answers the caller may see (accepted first, then most up-voted)."""
    user = request.auth  # type: ignore[attr-defined]
    view = selectors.question_view(user, selectors.access_question_for_user(user, community_question_id))
    return {
        **_question(view.question),
        "body_html": view.question.body_html,
        "answers": [
            {
                "id": a.pk,
                "author": a.author_name,
                "body_html": a.body_html,
                "by_coach": a.by_coach,
                "score": a.score,
                "accepted": a.accepted_at is not None,
                "hidden": a.is_hidden,
                "created_at": a.created_at,
            }
            for a in view.answers
        ],
    }
