"""A micro lesson's check answered on a phone offline and posted later: scored at its own time, once; a quiz with
a time limit is timed by the server's clock whatever the phone says."""

import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kizuna.assessments.models import Attempt
from kizuna.records.models import LessonProgress, Statement

from .conftest import make_quiz, quiz_lesson
from .test_lesson_pages import form_answers


def _fields(questions, at):
    return {
        "action": "submit",
        "start_sid": str(uuid.uuid4()),
        "submit_sid": str(uuid.uuid4()),
        "at": at,
        **form_answers(questions),
    }


def test_answers_kept_offline_are_scored_at_the_moment_they_were_given(cast, questions, client):
    quiz = make_quiz(cast, [questions["single"], questions["truefalse"], questions["short"]], pass_mark=60)
    lesson = quiz_lesson(cast, quiz, kind="micro")
    client.force_login(cast.rep_a1)
    answered = (timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    fields = _fields(questions, answered.isoformat())
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    client.post(url, fields)
    client.post(url, fields)  # the outbox's replay
    attempt = Attempt.objects.get(rep=cast.rep_a1)
    assert attempt.submitted_at == answered and attempt.passed
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at == answered
    assert Statement.objects.filter(actor=cast.rep_a1, verb__endswith="/passed").count() == 1
    assert set(Statement.objects.filter(actor=cast.rep_a1).values_list("timestamp", flat=True)) == {answered}


def test_a_quiz_with_a_time_limit_ignores_the_phones_time(cast, questions, client):
    quiz = make_quiz(cast, [questions["single"], questions["truefalse"], questions["short"]], time_limit_minutes=5)
    lesson = quiz_lesson(cast, quiz, kind="micro")
    client.force_login(cast.rep_a1)
    before = timezone.now()
    client.post(reverse("assessments:quiz_attempt", args=[lesson.pk]), _fields(questions, "2026-01-01T00:00:00Z"))
    assert Attempt.objects.get(rep=cast.rep_a1).submitted_at >= before


def test_it_refuses_answers_with_an_unreadable_or_stale_time(cast, questions, client):
    quiz = make_quiz(cast, [questions["single"], questions["truefalse"], questions["short"]])
    lesson = quiz_lesson(cast, quiz, kind="micro")
    client.force_login(cast.rep_a1)
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    page = client.post(url, _fields(questions, "yesterday"), follow=True).content.decode()
    assert "解答の時刻を読み取れませんでした" in page
    stale = (timezone.now() - timedelta(days=20)).isoformat()
    page = client.post(url, _fields(questions, stale), follow=True).content.decode()
    assert "14 日より前" in page
    assert not Attempt.objects.exists()
