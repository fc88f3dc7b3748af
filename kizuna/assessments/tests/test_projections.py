"""The quiz projections are derived from statements: rebuilding them from the statements gives the same rows."""

from datetime import UTC, datetime, timedelta

from kizuna.assessments import services
from kizuna.assessments.models import Attempt, AttemptAnswer, ItemStat, QuizVersion, ReviewCard, TopicWeek
from kizuna.assessments.projections import SCALE, rebuild

from .conftest import RIGHT, WRONG, make_quiz, quiz_lesson, sid

T0 = datetime(2026, 10, 5, 0, 30, tzinfo=UTC)


def snapshot():
    attempts = sorted(
        Attempt.objects.values_list(
            "key",
            "rep_id",
            "partner_id",
            "quiz_id",
            "quiz_version_id",
            "lesson_id",
            "number",
            "layout",
            "started_at",
            "deadline",
            "start_statement",
            "submitted_at",
            "submit_statement",
            "score",
            "passed",
        )
    )
    answers = sorted(
        AttemptAnswer.objects.values_list(
            "attempt__key",
            "question_key",
            "answer",
            "response",
            "score",
            "correct",
            "seconds",
            "answered_at",
            "statement_seq",
        )
    )
    stats = sorted(
        (row[:-1] + (sorted(row[-1].items()),))
        for row in ItemStat.objects.values_list(
            "question_id",
            "partner_id",
            "answered",
            "blank",
            "correct",
            "score_sum",
            "pairs",
            "x_sum",
            "x2_sum",
            "y_sum",
            "y2_sum",
            "xy_sum",
            "last_answered_at",
            "option_counts",
        )
    )
    weeks = sorted(
        TopicWeek.objects.values_list("rep_id", "partner_id", "topic_id", "week", "answered", "correct", "score_sum")
    )
    cards = sorted(
        ReviewCard.objects.values_list(
            "rep_id",
            "partner_id",
            "question_id",
            "state",
            "step",
            "stability",
            "difficulty",
            "due",
            "last_review",
            "reviews",
            "lapses",
        )
    )
    return attempts, answers, stats, weeks, cards


def run_history(cast, questions):
    """Three reps, two quizzes, changed answers, an expired attempt, a retake and reviews."""
    by_key = {str(q.key): q for q in questions.values()}
    quiz = make_quiz(cast, list(questions.values()), pass_mark=70)
    lesson = quiz_lesson(cast, quiz, partner=cast.partner_a)
    timed = make_quiz(cast, [questions["single"], questions["numerical"]], time_limit_minutes=2, title="時間制限")
    timed_lesson = quiz_lesson(cast, timed, slug="timed")
    lesson_b = quiz_lesson(cast, quiz, slug="quiz-b", partner=cast.partner_b)
    version = QuizVersion.objects.get(pk=lesson.content_id)

    def take(rep, lesson, answers, at, *, change=False):
        attempt = services.attempt_start(
            rep=rep,
            quiz_version=QuizVersion.objects.get(pk=lesson.content_id),
            lesson=lesson,
            statement_id=sid(),
            timestamp=at,
        )
        for n, item in enumerate(attempt.layout):
            q = by_key[item["key"]]
            when = at + timedelta(seconds=7 * (n + 1))
            if change:
                services.answer_save(
                    rep=rep,
                    attempt=attempt,
                    question_key=q.key,
                    answer=WRONG[q.type](q),
                    statement_id=sid(),
                    timestamp=when,
                )
            services.answer_save(
                rep=rep,
                attempt=attempt,
                question_key=q.key,
                answer=answers[q.type](q),
                statement_id=sid(),
                timestamp=when + timedelta(seconds=3),
            )
        return services.attempt_submit(
            rep=rep, attempt=attempt, statement_id=sid(), timestamp=at + timedelta(minutes=3)
        )

    take(cast.rep_a1, lesson, WRONG, T0)
    take(cast.rep_a1, lesson, RIGHT, T0 + timedelta(days=1), change=True)
    take(cast.rep_a2, lesson, RIGHT, T0 + timedelta(days=8))
    take(cast.rep_b1, lesson_b, WRONG, T0 + timedelta(days=9))
    # An attempt that runs out of time: one answer in time, then closed when the rep comes back.
    timed_version = QuizVersion.objects.get(pk=timed_lesson.content_id)
    late = services.attempt_start(
        rep=cast.rep_a2, quiz_version=timed_version, lesson=timed_lesson, statement_id=sid(), timestamp=T0
    )
    services.answer_save(
        rep=cast.rep_a2,
        attempt=late,
        question_key=questions["single"].key,
        answer={"choice": "1"},
        statement_id=sid(),
        timestamp=T0 + timedelta(minutes=1),
    )
    services.attempt_start(
        rep=cast.rep_a2,
        quiz_version=timed_version,
        lesson=timed_lesson,
        statement_id=sid(),
        timestamp=T0 + timedelta(hours=1),
    )
    for card in ReviewCard.objects.filter(rep=cast.rep_a1).select_related("question"):
        q = card.question
        services.review_answer(
            rep=cast.rep_a1, question=q, answer=RIGHT[q.type](q), statement_id=sid(), seconds=6, timestamp=card.due
        )
    return version


def test_rebuild_gives_identical_projections(cast, questions):
    run_history(cast, questions)
    before = snapshot()
    attempts, answers, stats, weeks, cards = before
    assert len(attempts) == 6 and answers and stats and weeks and cards
    assert any(a[11] is None for a in attempts)  # the new timed attempt is still open
    rebuild()
    assert snapshot() == before


def test_item_statistics_count_final_answers_of_submitted_attempts_per_partner(cast, questions):
    run_history(cast, questions)
    single = questions["single"]
    a = ItemStat.objects.get(question=single, partner=cast.partner_a)
    b = ItemStat.objects.get(question=single, partner=cast.partner_b)
    # Partner A: rep_a1 wrong then right (the changed answer counts once, as its final one), rep_a2 right,
    # and rep_a2's timed attempt (right); partner B: one wrong.
    assert (a.answered, a.correct, a.blank) == (4, 3, 0)
    assert a.option_counts == {"1": 3, "2": 1}
    assert (b.answered, b.correct, b.option_counts) == (1, 0, {"2": 1})
    numerical = ItemStat.objects.get(question=questions["numerical"], partner=cast.partner_a)
    assert numerical.blank == 1  # left blank in the timed attempt
    assert a.score_sum == 3 * SCALE


def test_weak_topic_weeks_sum_every_answer_per_rep_topic_and_week(cast, questions):
    run_history(cast, questions)
    price = questions["single"].topics.get()
    rows = TopicWeek.objects.filter(rep=cast.rep_b1, topic=price)
    assert [(r.answered, r.correct, r.score_sum) for r in rows] == [(3, 0, 0)]  # single, multiple, numerical wrong


def test_the_records_command_rebuilds_the_quiz_projections_whole_and_per_partner(cast, questions):
    from kizuna.records.tests.partner_rebuild import Table, assert_partner_rebuild, partner_rows, rep_rows

    run_history(cast, questions)
    before = snapshot()
    ItemStat.objects.all().delete()
    attempt = ("key", "rep_id", "partner_id", "quiz_version_id", "submitted_at", "score", "passed", "layout")
    answer = ("attempt__key", "question_key", "answer", "score", "correct", "answered_at", "statement_seq")
    stat = (
        *("question_id", "partner_id", "answered", "blank", "correct", "score_sum", "pairs", "x_sum", "xy_sum"),
        *("option_counts", "last_answered_at"),
    )
    week = ("rep_id", "partner_id", "topic_id", "week", "answered", "correct", "score_sum")
    card = ("rep_id", "question_id", "state", "stability", "difficulty", "due", "reviews", "lapses")
    assert_partner_rebuild(
        cast,
        ("assessments",),
        [
            Table(Attempt, attempt, rep_rows()),
            Table(AttemptAnswer, answer, rep_rows("attempt__rep")),
            Table(ItemStat, stat, partner_rows),
            Table(TopicWeek, week, rep_rows()),
            Table(ReviewCard, card, rep_rows()),
        ],
    )
    assert snapshot() == before  # the full run (inside the check) and agency A's both give the live rows
