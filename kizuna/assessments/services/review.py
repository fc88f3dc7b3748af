"""Writes of the spaced review: a rep's answer to a question due for review, recorded as a statement."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.records import vocab as records_vocab
from kizuna.records.services import StatementError, format_duration, statement_record

from .. import vocab
from ..errors import AssessmentError
from ..models import Question, ReviewCard
from ..types import question_type
from ..types.base import Check
from .attempts import question_activity, require_rep, score_result


@dataclass(frozen=True)
class ReviewOutcome:
    check: Check
    card: ReviewCard
    recorded: bool  # False when the statement id had been used already (nothing changed)


def review_answer(
    *,
    rep: Any,
    question: Question,
    answer: Any,
    statement_id: uuid.UUID,
    seconds: float | None = None,
    timestamp: datetime | None = None,
) -> ReviewOutcome:
    """Answer a question of the rep's review; FSRS reschedules it (kizuna.assessments.spacing)."""
    require_rep(rep)
    if not ReviewCard.objects.filter(rep=rep, question=question).exists():
        raise AssessmentError(_("This question is not in your review."))
    qtype = question_type(question.type, question.data)
    parsed = qtype.parse_answer(answer)
    verdict = qtype.check(parsed)
    result: dict[str, Any] = {
        **score_result(verdict),
        "response": qtype.response_text(parsed),
        "extensions": {vocab.EXT_ANSWER.iri: parsed},
    }
    if seconds is not None and 0 <= seconds <= 3600:
        result["duration"] = format_duration(seconds)
    with transaction.atomic():
        try:
            _st, created = statement_record(
                actor=rep,
                verb=records_vocab.ANSWERED,
                activity=question_activity(
                    str(question.key), {"title": question.title, "text": question.text}, qtype, parent=None
                ),
                result=result,
                extensions={
                    vocab.EXT_REVIEW.iri: True,
                    vocab.EXT_TOPICS.iri: sorted(t.slug for t in question.topics.all()),
                },
                statement_id=statement_id,
                timestamp=timestamp,
            )
        except StatementError as exc:
            raise AssessmentError(str(exc)) from None
        return ReviewOutcome(verdict, ReviewCard.objects.get(rep=rep, question=question), created)


def review_due_pushes_send(*, today: Any = None) -> int:
    """Push "your review is ready" to each active rep with a subscribed phone and questions due today; return how
    many were queued (once a day: the scheduler runs it at REMINDER_HOUR)."""
    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from kizuna.notifications.push_services import push_send
    from kizuna.notifications.selectors import push_subscriber_ids
    from kizuna.orgs.selectors import active_reps

    from ..selectors import review_due_count

    queued = 0
    subscribers = push_subscriber_ids()
    for rep in active_reps().filter(pk__in=subscribers).order_by("pk").iterator(chunk_size=500):
        count = review_due_count(rep, today)
        if count:
            queued += push_send(
                recipient=rep,
                kind="assessments.review_due",
                title=gettext_noop("Your review for today is ready"),
                body=gettext_noop("Questions due today: %(count)s"),
                params={"count": count},
                url=reverse("assessments:review"),
                tag="assessments.review_due",
            )
    return queued
