"""POST /lessons/{id}/statements from a phone's offline queue: a statement keeps the moment it happened, a replay
counts once, and one that is malformed, too old, from the future or too large is refused with a clear reason."""

from datetime import timedelta

from django.utils import timezone

from kizuna.records.models import LessonProgress, Statement

from .conftest import assert_problem, first_lesson, statement


def _url(lesson):
    return f"/lessons/{lesson.pk}/statements"


def test_a_statement_sent_late_keeps_the_moment_it_happened(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    happened = (timezone.now() - timedelta(hours=5)).replace(microsecond=0)
    sent = statement("progressed", result={"duration": "PT45S"}, timestamp=happened.isoformat())
    response = api_as(cast.rep_a1).post(_url(lesson), sent)
    assert response.status_code == 200, response.content
    stored = Statement.objects.get(id=sent["id"])
    assert stored.timestamp == happened and stored.stored > happened
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 45


def test_a_replayed_offline_statement_is_counted_once(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    caller = api_as(cast.rep_a1)
    sent = statement("progressed", result={"duration": "PT30S"}, timestamp=timezone.now().isoformat())
    assert caller.post(_url(lesson), sent).json()["stored"] is True
    assert caller.post(_url(lesson), sent).json()["stored"] is False
    assert Statement.objects.filter(actor=cast.rep_a1, lesson=lesson).count() == 1
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 30


def test_it_refuses_a_statement_older_than_two_weeks(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    sent = statement("launched", timestamp=(timezone.now() - timedelta(days=15)).isoformat())
    body = assert_problem(api_as(cast.rep_a1).post(_url(lesson), sent), 422)
    assert "14" in body["detail"]
    assert not Statement.objects.filter(id=sent["id"]).exists()


def test_it_refuses_a_statement_from_the_future(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    sent = statement("launched", timestamp=(timezone.now() + timedelta(hours=1)).isoformat())
    body = assert_problem(api_as(cast.rep_a1).post(_url(lesson), sent), 422)
    assert "時計" in body["detail"]  # check the phone's clock
    assert not Statement.objects.filter(id=sent["id"]).exists()


def test_it_refuses_a_timestamp_without_a_time_zone(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    sent = statement("launched", timestamp="2026-12-06T09:30:00")
    body = assert_problem(api_as(cast.rep_a1).post(_url(lesson), sent), 422)
    assert "タイムゾーン" in body["detail"]


def test_it_refuses_a_timestamp_that_is_not_a_date(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    sent = statement("launched", timestamp="yesterday")
    assert_problem(api_as(cast.rep_a1).post(_url(lesson), sent), 422)
    assert not Statement.objects.filter(id=sent["id"]).exists()


def test_it_refuses_an_oversized_statement(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    sent = statement("progressed", result={"duration": "PT5S", "extensions": {"https://x.test/e": "a" * 20000}})
    body = assert_problem(api_as(cast.rep_a1).post(_url(lesson), sent), 413)
    assert "16 KB" in body["detail"]
    assert not Statement.objects.filter(id=sent["id"]).exists()
