"""Spaced review with FSRS (the `fsrs` library): the scheduler we use and how an answer becomes a rating.

The scheduler has no intra-day learning steps: reps review in short daily sessions,
so a question met today comes back on a later day (the first interval follows the
rating: about 1 day after Again, 2–3 after Good, 8 after Easy). Fuzzing is off so
that replaying the same answers always gives the same schedule (rebuild == live).

Rating from an answer: wrong (score under half) → Again; partly right, or right but
slow (over SLOW_SECONDS) → Hard; right → Good; right within FAST_SECONDS → Easy.
An unanswered question of a submitted quiz counts as Again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Rating, Scheduler, State

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
FAST_SECONDS = 8.0
SLOW_SECONDS = 45.0
# A topic whose estimated recall, in whole percent, is under this is shown as weak on the retention pages.
LOW_RETENTION_PERCENT = 70


def rating_for(*, score: float, correct: bool, seconds: float | None) -> Rating:
    if not correct:
        return Rating.Hard if score >= 0.5 else Rating.Again
    if seconds is not None and seconds > SLOW_SECONDS:
        return Rating.Hard
    if seconds is not None and seconds <= FAST_SECONDS:
        return Rating.Easy
    return Rating.Good


def retention_is_low(retention: float) -> bool:
    """Whether a recall estimate (0..1) is weak, judged on the whole percent the pages show."""
    return round(retention * 100) < LOW_RETENTION_PERCENT


def utc(moment: datetime) -> datetime:
    """FSRS wants datetimes in datetime.UTC exactly."""
    return moment.astimezone(UTC)


def card_of(row: Any | None) -> Card:
    """The FSRS card of a ReviewCard row (a new card when there is none yet)."""
    if row is None:
        return Card(card_id=1, state=State.Learning, step=0)
    return Card(
        card_id=1,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=utc(row.due),
        last_review=utc(row.last_review) if row.last_review else None,
    )


def card_review(row: Any, *, rating: Rating, when: datetime) -> Any:
    """Review the row's card at ``when`` with ``rating`` and write the new state onto the row."""
    card, _log = SCHEDULER.review_card(card_of(row if row.reviews else None), rating, review_datetime=utc(when))
    if rating == Rating.Again and row.reviews and row.state == State.Review:
        row.lapses += 1
    row.state, row.step = int(card.state), card.step
    row.stability, row.difficulty = card.stability, card.difficulty
    row.due, row.last_review = card.due, card.last_review
    row.reviews += 1
    return row


def retrievability(row: Any, now: datetime) -> float:
    """The chance (0..1) that the rep recalls this question now, as FSRS estimates it."""
    return recall_probability(stability=row.stability, last_review=row.last_review, now=now)


def recall_probability(*, stability: float | None, last_review: datetime | None, now: datetime) -> float:
    """FSRS's retrievability of a card with this stability, last reviewed then, at ``now``."""
    if stability is None or last_review is None:
        return 0.0
    card = Card(card_id=1, state=State.Review, stability=stability, difficulty=5.0, last_review=utc(last_review))
    return float(SCHEDULER.get_card_retrievability(card, current_datetime=utc(now)))
