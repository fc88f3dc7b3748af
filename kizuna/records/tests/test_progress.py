"""Progress is derived from statements, and rebuilding it from them gives the same rows."""

import uuid

import pytest

from kizuna.records import services, time_reports
from kizuna.records.models import CourseProgress, LearningDay, LessonProgress, Statement
from kizuna.records.projections import (
    COURSE_PROGRESS_FIELDS,
    LEARNING_DAY_FIELDS,
    LESSON_PROGRESS_FIELDS,
    rebuild_all,
)


def _snapshot() -> tuple[list, list, list]:
    return (
        sorted(LessonProgress.objects.values_list(*LESSON_PROGRESS_FIELDS)),
        sorted(CourseProgress.objects.values_list(*COURSE_PROGRESS_FIELDS)),
        sorted(LearningDay.objects.values_list(*LEARNING_DAY_FIELDS)),
    )


def test_completing_every_lesson_completes_the_course(cast, article_course):
    lessons = list(article_course.latest_version.lessons.all())
    for lesson in lessons:
        services.lesson_launch(rep=cast.rep_a1, lesson=lesson)
        time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=40)
        services.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    cp = CourseProgress.objects.get(user=cast.rep_a1, course=article_course)
    assert cp.lessons_completed == 2 and cp.lessons_total == 2
    assert cp.completed_at is not None
    assert cp.time_spent_seconds == 80
    assert Statement.objects.filter(actor=cast.rep_a1, verb__endswith="/completed", lesson__isnull=True).count() == 1


def test_a_repeated_statement_id_is_stored_once(cast, article_course):
    lesson = article_course.latest_version.lessons.first()
    sid = uuid.uuid4()
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=30, statement_id=sid)
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=30, statement_id=sid)
    assert Statement.objects.filter(id=sid).count() == 1
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 30


def test_one_statement_never_counts_more_than_two_minutes(cast, article_course):
    lesson = article_course.latest_version.lessons.first()
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=3000)
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 120


def test_rebuild_gives_identical_projections(cast, article_course):
    lessons = list(article_course.latest_version.lessons.all())
    services.lesson_launch(rep=cast.rep_a1, lesson=lessons[0])
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lessons[0], seconds=25)
    services.lesson_complete(rep=cast.rep_a1, lesson=lessons[0])
    services.lesson_complete(rep=cast.rep_a1, lesson=lessons[1])
    services.lesson_launch(rep=cast.rep_a2, lesson=lessons[1])
    time_reports.lesson_time_record(rep=cast.rep_a2, lesson=lessons[1], seconds=12.5)
    before = _snapshot()
    assert before[0] and before[1] and before[2]
    rebuild_all()
    assert _snapshot() == before


def test_bad_durations_are_refused():
    with pytest.raises(services.StatementError):
        services.parse_duration("3 minutes")
    assert services.parse_duration("PT3M12S") == 192


def test_learning_days_follow_the_deployment_time_zone(cast, article_course):
    from datetime import UTC, date, datetime

    lesson = article_course.latest_version.lessons.first()
    # 16:30 UTC on the 27th is already 01:30 on the 28th in Tokyo.
    time_reports.lesson_time_record(
        rep=cast.rep_a1, lesson=lesson, seconds=50, timestamp=datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    )
    time_reports.lesson_time_record(
        rep=cast.rep_a1, lesson=lesson, seconds=500, timestamp=datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    )
    day = LearningDay.objects.get(user=cast.rep_a1)
    assert day.day == date(2026, 11, 28)
    assert day.seconds == 50 + 120  # one statement never counts more than two minutes
    assert day.statements == 2
    assert day.partner_id == cast.partner_a.pk


def test_statements_carry_the_whole_activity_definition_in_xapi(cast):
    from kizuna.records import vocab

    st, _created = services.statement_record(
        actor=cast.rep_a1,
        verb=vocab.ANSWERED,
        activity=services.Activity(
            iri="http://127.0.0.1:8000/xapi/activities/question/q1",
            type=vocab.Term("http://adlnet.gov/expapi/activities/cmi.interaction", "設問", "question"),
            name={"ja-JP": "料金は?"},
            definition={"interactionType": "choice", "correctResponsesPattern": ["a"]},
        ),
        result={"response": "a", "success": True},
    )
    data = services.statement_to_xapi(st)
    assert data["object"]["definition"]["interactionType"] == "choice"
    assert data["object"]["definition"]["type"].endswith("cmi.interaction")
    assert data["verb"]["display"] == {"ja-JP": "回答した", "en-US": "answered"}
    assert data["actor"]["account"]["name"] == str(cast.rep_a1.public_id)
    assert data["version"] == "1.0.3"


def test_a_rebuilds_queries_do_not_grow_with_the_statements(cast, article_course, django_assert_max_num_queries):
    # A field the projectors read but the rebuild did not load was fetched by one query per statement.
    lesson = article_course.latest_version.lessons.first()
    for _ in range(3):
        time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=10)
    before = _snapshot()
    with django_assert_max_num_queries(25) as few:
        rebuild_all()
    for _ in range(30):
        time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rebuild_all()
    assert _snapshot() != before
