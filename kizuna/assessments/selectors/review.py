"""Reads of the spaced review: what is due today, the rep home's card, one question of the review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from kizuna.catalog.markdown import render_markdown

from ..models import (
    Question,
    ReviewCard,
)
from ..types import question_type
from ..types.base import QuestionType

REVIEW_LIMIT = 10  # today's 3-minute review


@dataclass
class ReviewItem:
    card: ReviewCard
    question: Question
    qtype: QuestionType
    text_html: str


def end_of_day(today: date) -> datetime:
    return datetime.combine(today + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def review_due(rep: Any, today: date | None = None, *, limit: int = REVIEW_LIMIT) -> list[ReviewItem]:
    """The rep's questions due for review by the end of ``today`` (deployment time zone), most overdue first."""
    today = today or timezone.localdate()
    cards = (
        ReviewCard.objects.filter(rep=rep, due__lt=end_of_day(today), question__archived_at__isnull=True)
        .select_related("question")
        .order_by("due", "id")[:limit]
    )
    return [
        ReviewItem(
            card=card,
            question=card.question,
            qtype=question_type(card.question.type, card.question.data),
            text_html=render_markdown(card.question.text),
        )
        for card in cards
    ]


def review_due_count(rep: Any, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return ReviewCard.objects.filter(rep=rep, due__lt=end_of_day(today), question__archived_at__isnull=True).count()


@dataclass(frozen=True)
class HomeReview:
    """The rep home's review card: how many questions are due today, of how many the rep has met."""

    due: int
    total: int

    @property
    def today(self) -> int:
        """How many of them today's 3-minute review shows."""
        return min(self.due, REVIEW_LIMIT)


def home_review(rep: Any, today: date | None = None) -> HomeReview:
    """The numbers of the rep home's review card, in one query."""
    today = today or timezone.localdate()
    counts = ReviewCard.objects.filter(rep=rep, question__archived_at__isnull=True).aggregate(
        due=Count("id", filter=Q(due__lt=end_of_day(today))), total=Count("id")
    )
    return HomeReview(due=counts["due"], total=counts["total"])


def review_next_due(rep: Any) -> datetime | None:
    """When the rep's next question comes due (after today's are done)."""
    return (
        ReviewCard.objects.filter(rep=rep, question__archived_at__isnull=True)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )


def review_item(rep: Any, question: Question) -> ReviewItem:
    """One question of the rep's review, as the review page shows it."""
    card = ReviewCard.objects.get(rep=rep, question=question)
    return ReviewItem(
        card=card,
        question=question,
        qtype=question_type(question.type, question.data),
        text_html=render_markdown(question.text),
    )


def access_review_question_for_user(user: Any, question_id: int) -> Question:
    """A question in this rep's own review, or 404."""
    try:
        return Question.objects.prefetch_related("topics").get(
            pk=question_id, review_cards__rep=user, archived_at__isnull=True
        )
    except (Question.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
