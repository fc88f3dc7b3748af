"""The write path: a statement costs a few queries, and the background projector applies the rest exactly once."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.api.tests.conftest import video_course  # noqa: F401 (a fixture)
from kizuna.gamification.models import RepScore
from kizuna.records import projections, projector, services, time_reports
from kizuna.records.models import CourseProgress, LearningDay, LessonProgress, PendingStatement, Statement
from kizuna.records.projections import LEARNING_DAY_FIELDS


@pytest.fixture
def deferred(settings):
    settings.PROJECTIONS_EAGER = False


def _first_lesson(course):
    return course.latest_version.lessons.order_by("position").first()


def test_a_statement_updates_the_reps_own_progress_at_once_and_queues_the_rest(cast, article_course, deferred):
    lesson = _first_lesson(article_course)
    st = time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=40)
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 40
    assert CourseProgress.objects.get(user=cast.rep_a1, course=article_course).time_spent_seconds == 40
    assert not LearningDay.objects.filter(user=cast.rep_a1).exists()
    assert list(PendingStatement.objects.values_list("seq", flat=True)) == [st.seq]


def test_the_projector_applies_each_queued_statement_once(cast, article_course, deferred):
    lesson = _first_lesson(article_course)
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=40)
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=20)
    assert projector.drain() == 2
    assert projector.drain() == 0
    day = LearningDay.objects.get(user=cast.rep_a1)
    assert (day.seconds, day.statements) == (60, 2)
    assert not PendingStatement.objects.exists()


def test_completing_a_lesson_scores_points_once_the_projector_ran(cast, article_course, deferred):
    lesson = _first_lesson(article_course)
    services.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    assert not RepScore.objects.filter(user=cast.rep_a1, points__gt=0).exists()
    projector.drain()
    assert RepScore.objects.get(user=cast.rep_a1).points > 0


def test_deferred_projections_equal_the_eager_ones(cast, article_course, settings):
    def history(rep):
        lessons = list(article_course.latest_version.lessons.order_by("position"))
        for lesson in lessons:
            services.lesson_launch(rep=rep, lesson=lesson)
            time_reports.lesson_time_record(rep=rep, lesson=lesson, seconds=33)
            services.lesson_complete(rep=rep, lesson=lesson)

    history(cast.rep_a1)
    settings.PROJECTIONS_EAGER = False
    history(cast.rep_a2)
    projector.drain()

    def day(rep):
        return [row[2:] for row in LearningDay.objects.filter(user=rep).values_list(*LEARNING_DAY_FIELDS)]

    def points(rep):
        return RepScore.objects.filter(user=rep).values_list("points", "level", "streak").get()

    assert day(cast.rep_a1) == day(cast.rep_a2)
    assert points(cast.rep_a1) == points(cast.rep_a2)


def test_a_statement_that_breaks_a_projection_does_not_stop_the_others(cast, article_course, deferred, monkeypatch):
    lesson = _first_lesson(article_course)
    bad = time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=10)
    time_reports.lesson_time_record(rep=cast.rep_a2, lesson=lesson, seconds=10)
    real = projections.apply_day

    def breaks_on_the_bad_one(st):
        if st.seq == bad.seq:
            raise ValueError("broken projection")
        real(st)

    monkeypatch.setattr(projections, "apply_day", breaks_on_the_bad_one)
    for _ in range(projector.MAX_ATTEMPTS):
        projector.drain_once()
    assert LearningDay.objects.filter(user=cast.rep_a2).exists()
    assert not LearningDay.objects.filter(user=cast.rep_a1).exists()
    failed = projector.pending_failures()
    assert [p.seq for p in failed] == [bad.seq]
    assert failed[0].attempts == projector.MAX_ATTEMPTS and "broken projection" in failed[0].error
    assert projector.drain_once() == 0  # given up on: no longer retried


@pytest.mark.django_db(transaction=True)
def test_a_projector_killed_mid_batch_leaves_the_batch_queued(cast, article_course, deferred, monkeypatch):
    lesson = _first_lesson(article_course)
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=10)
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=15)
    real = projections.apply_day
    applied = []

    def dies_after_the_first(st):
        if applied:
            raise SystemExit("killed")  # not an Exception: nothing catches it, as with a killed process
        real(st)
        applied.append(st.seq)

    monkeypatch.setattr(projections, "apply_day", dies_after_the_first)
    with pytest.raises(SystemExit):
        projector.drain_once()
    assert PendingStatement.objects.count() == 2 and not LearningDay.objects.exists()
    monkeypatch.setattr(projections, "apply_day", real)
    assert projector.drain() == 2
    assert LearningDay.objects.get(user=cast.rep_a1).seconds == 25


def test_the_projector_command_drains_the_queue(cast, article_course, deferred):
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=_first_lesson(article_course), seconds=10)
    call_command("run_projector", "--once")
    assert not PendingStatement.objects.exists() and LearningDay.objects.filter(user=cast.rep_a1).exists()


def test_rebuilding_empties_the_queue(cast, article_course, deferred):
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=_first_lesson(article_course), seconds=10)
    projections.rebuild_everything()
    assert not PendingStatement.objects.exists()
    assert LearningDay.objects.get(user=cast.rep_a1).seconds == 10


def test_a_progress_statement_costs_six_queries_all_projections_included(cast, video_course, deferred):  # noqa: F811
    """Lock the lesson's progress, insert the statement, update lesson and course progress, queue the rest, renew
    the rep's state token (what their pages keep, ops.repcache); on PostgreSQL first hold the rep against a
    rebuild (`reps_hold`: one query per transaction; SQLite's write lock does it for nothing)."""
    hold = 1 if connection.vendor == "postgresql" else 0
    lesson = _first_lesson(video_course)
    services.video_progress_record(rep=cast.rep_a1, lesson=lesson, segments="0[.]10", time=10, length=100, seconds=10)
    with CaptureQueriesContext(connection) as queries:
        services.video_progress_record(
            rep=cast.rep_a1, lesson=lesson, segments="10[.]20", time=20, length=100, seconds=10
        )
    assert len(queries) == 6 + hold, [q["sql"][:80] for q in queries.captured_queries]
    # A rep's first statement in a course also reads their agency, counts the course's lessons and inserts
    # the first rows (each in a savepoint, for the race with a concurrent first statement): once per course.
    with CaptureQueriesContext(connection) as queries:
        time_reports.lesson_time_record(rep=cast.rep_a2, lesson=lesson, seconds=10)
    assert len(queries) <= 12 + hold
    assert Statement.objects.filter(actor=cast.rep_a1).count() == 2


def test_a_repeated_id_from_someone_else_is_refused(cast, article_course):
    lesson = _first_lesson(article_course)
    st = time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=10)
    with pytest.raises(services.StatementError):
        time_reports.lesson_time_record(rep=cast.rep_a2, lesson=lesson, seconds=10, statement_id=st.id)
    assert not Statement.objects.filter(actor=cast.rep_a2).exists()
