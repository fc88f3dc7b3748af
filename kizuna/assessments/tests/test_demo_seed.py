"""The demo's quizzes load through the real services and give every screen something to show."""

from datetime import UTC, datetime

from kizuna.assessments import selectors
from kizuna.assessments.models import Attempt, ItemStat, ReviewCard
from kizuna.assessments.projections import rebuild
from kizuna.demo.assessments import seed_assessments

from .test_projections import snapshot

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def test_the_demo_seeds_a_bank_a_quiz_lesson_attempts_and_reviews(cast):
    seed_assessments(now=NOW)
    assert Attempt.objects.filter(submitted_at__isnull=False).exists()
    assert ItemStat.objects.exists() and ReviewCard.objects.exists()
    analysis = selectors.item_analysis(cast.author)
    assert len(analysis) == 8 and any(row.answered for row in analysis)
    assert selectors.weak_topics(cast.manager_a, today=NOW.date(), min_answers=1)
    before = snapshot()
    rebuild()
    assert snapshot() == before
