"""Spaced review with FSRS: every question met gets a card, and each answer moves it exactly as the library says."""

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, State

from kizuna.assessments import selectors, services, spacing
from kizuna.assessments.errors import AssessmentError
from kizuna.assessments.models import QuizVersion, ReviewCard
from kizuna.records.models import Statement

from .conftest import make_quiz, quiz_lesson, sid

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 10:00 in Tokyo


def take_quiz(cast, lesson, rep, answers, *, at):
    version = QuizVersion.objects.get(pk=lesson.content_id)
    attempt = services.attempt_start(rep=rep, quiz_version=version, lesson=lesson, statement_id=sid(), timestamp=at)
    for n, (question, answer) in enumerate(answers):
        services.answer_save(
            rep=rep,
            attempt=attempt,
            question_key=question.key,
            answer=answer,
            statement_id=sid(),
            timestamp=at + timedelta(seconds=20 * (n + 1)),
        )
    return services.attempt_submit(rep=rep, attempt=attempt, statement_id=sid(), timestamp=at + timedelta(minutes=2))


@pytest.fixture
def lesson(cast, questions):
    quiz = make_quiz(cast, [questions["single"], questions["truefalse"], questions["short"]], pass_mark=50)
    return quiz_lesson(cast, quiz)


def test_the_rating_follows_correctness_and_time():
    assert spacing.rating_for(score=0.0, correct=False, seconds=5) == Rating.Again
    assert spacing.rating_for(score=0.5, correct=False, seconds=5) == Rating.Hard
    assert spacing.rating_for(score=1.0, correct=True, seconds=60) == Rating.Hard
    assert spacing.rating_for(score=1.0, correct=True, seconds=20) == Rating.Good
    assert spacing.rating_for(score=1.0, correct=True, seconds=4) == Rating.Easy
    assert spacing.rating_for(score=1.0, correct=True, seconds=None) == Rating.Good


def test_every_question_of_a_submitted_quiz_gets_a_card_scheduled_by_fsrs(cast, lesson, questions):
    take_quiz(
        cast,
        lesson,
        cast.rep_a1,
        [(questions["single"], {"choice": "1"}), (questions["truefalse"], {"choice": "false"})],
        at=T0,
    )
    submitted_at = T0 + timedelta(minutes=2)
    cards = {c.question_id: c for c in ReviewCard.objects.filter(rep=cast.rep_a1)}
    assert set(cards) == {questions["single"].pk, questions["truefalse"].pk, questions["short"].pk}
    expected = {
        questions["single"].pk: Rating.Good,  # right in 20 s
        questions["truefalse"].pk: Rating.Again,  # wrong
        questions["short"].pk: Rating.Again,  # left blank
    }
    for question_id, rating in expected.items():
        card, _log = spacing.SCHEDULER.review_card(Card(card_id=1), rating, review_datetime=submitted_at)
        row = cards[question_id]
        assert (row.due, row.stability, row.difficulty, row.state) == (
            card.due,
            card.stability,
            card.difficulty,
            int(card.state),
        )
        assert row.due >= submitted_at + timedelta(days=1)  # never due again the same day


def test_a_review_moves_the_due_date_exactly_as_the_library_says(cast, lesson, questions):
    take_quiz(cast, lesson, cast.rep_a1, [(questions["single"], {"choice": "1"})], at=T0)
    row = ReviewCard.objects.get(rep=cast.rep_a1, question=questions["single"])
    before = Card(
        card_id=1,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
    )
    when = row.due + timedelta(hours=3)
    outcome = services.review_answer(
        rep=cast.rep_a1,
        question=questions["single"],
        answer={"choice": "1"},
        statement_id=sid(),
        seconds=15,
        timestamp=when,
    )
    expected, _log = spacing.SCHEDULER.review_card(before, Rating.Good, review_datetime=when)
    assert outcome.check.correct and outcome.recorded
    assert (outcome.card.due, outcome.card.stability, outcome.card.difficulty) == (
        expected.due,
        expected.stability,
        expected.difficulty,
    )
    assert outcome.card.due > row.due + timedelta(days=3)  # remembered: the interval grows
    assert outcome.card.reviews == 2


def test_forgetting_brings_a_question_back_sooner_and_counts_a_lapse(cast, lesson, questions):
    take_quiz(cast, lesson, cast.rep_a1, [(questions["single"], {"choice": "1"})], at=T0)
    row = ReviewCard.objects.get(rep=cast.rep_a1, question=questions["single"])
    outcome = services.review_answer(
        rep=cast.rep_a1, question=questions["single"], answer={"choice": "2"}, statement_id=sid(), timestamp=row.due
    )
    assert not outcome.check.correct
    assert outcome.card.lapses == 1
    assert outcome.card.due - row.due < row.due - row.last_review


def test_the_same_review_answer_twice_counts_once(cast, lesson, questions):
    take_quiz(cast, lesson, cast.rep_a1, [(questions["single"], {"choice": "1"})], at=T0)
    tap = sid()
    first = services.review_answer(
        rep=cast.rep_a1,
        question=questions["single"],
        answer={"choice": "1"},
        statement_id=tap,
        timestamp=T0 + timedelta(days=3),
    )
    second = services.review_answer(
        rep=cast.rep_a1,
        question=questions["single"],
        answer={"choice": "1"},
        statement_id=tap,
        timestamp=T0 + timedelta(days=4),
    )
    assert not second.recorded and first.card.due == second.card.due and second.card.reviews == 2
    assert Statement.objects.filter(actor=cast.rep_a1, verb__endswith="/answered", lesson__isnull=True).count() == 1


def test_todays_review_lists_the_questions_due_by_the_end_of_the_day(cast, lesson, questions):
    take_quiz(cast, lesson, cast.rep_a1, [(questions["single"], {"choice": "1"})], at=T0)
    assert selectors.review_due(cast.rep_a1, T0.date()) == []
    due_days = sorted(c.due for c in ReviewCard.objects.filter(rep=cast.rep_a1))
    first_day = due_days[0].astimezone(spacing.UTC).date() + timedelta(days=1)
    due = selectors.review_due(cast.rep_a1, first_day)
    assert due and all(item.card.due <= due_days[-1] for item in due)
    assert selectors.review_due_count(cast.rep_a1, first_day + timedelta(days=30)) == 3
    assert len(selectors.review_due(cast.rep_a1, first_day + timedelta(days=30), limit=2)) == 2
    assert selectors.review_due(cast.rep_a2, first_day + timedelta(days=30)) == []


def test_only_questions_the_rep_has_met_can_be_reviewed(cast, lesson, questions):
    with pytest.raises(AssessmentError):
        services.review_answer(
            rep=cast.rep_a1, question=questions["single"], answer={"choice": "1"}, statement_id=sid()
        )


def test_retention_per_topic_for_a_rep_and_for_their_manager_only(cast, lesson, questions):
    take_quiz(
        cast,
        lesson,
        cast.rep_a1,
        [(questions["single"], {"choice": "1"}), (questions["truefalse"], {"choice": "true"})],
        at=T0,
    )
    take_quiz(cast, lesson, cast.rep_a2, [(questions["single"], {"choice": "2"})], at=T0)
    later = T0 + timedelta(days=2)
    mine = {r.topic.name_ja: r for r in selectors.retention_by_topic(cast.rep_a1, now=later)}
    assert set(mine) == {"価格", "製品知識"}
    assert 0 < mine["製品知識"].retention < 1 and mine["製品知識"].cards == 2
    team = {r.topic.name_ja: r for r in selectors.retention_by_topic(cast.manager_a, now=later)}
    assert team["価格"].cards == 2
    assert selectors.retention_by_topic(cast.manager_b, now=later) == []
    with pytest.raises(Exception) as refused:
        selectors.retention_by_topic(cast.manager_b, rep=cast.rep_a1, now=later)
    assert refused.type.__name__ == "Http404"
