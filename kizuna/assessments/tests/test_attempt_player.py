"""The rep's quiz page: answers saved as they go (retries never count twice), a time limit, and the result page."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from kizuna.assessments.models import Attempt
from kizuna.records.models import Statement

from .conftest import make_quiz, quiz_lesson


@pytest.fixture
def started(cast, questions, client):
    """rep_a1 signed in, with an open attempt at a two-question quiz lesson (two attempts allowed, 10 minutes)."""
    quiz = make_quiz(
        cast, [questions["single"], questions["short"]], pass_mark=100, allowed_attempts=2, time_limit_minutes=10
    )
    lesson = quiz_lesson(cast, quiz)
    client.force_login(cast.rep_a1)
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    client.post(url, {"action": "start", "sid": str(uuid.uuid4())})
    return {"lesson": lesson, "url": url, "attempt": Attempt.objects.get(), "questions": questions}


def save(client, started, key, value, sid):
    return client.post(
        started["url"],
        {
            "action": "save",
            "attempt": str(started["attempt"].key),
            "question": str(key),
            f"q-{key}": value,
            f"sid-{key}": sid,
        },
        HTTP_ACCEPT="application/json",
    )


def answered_statements():
    return Statement.objects.filter(verb__endswith="/answered").count()


def test_a_retried_save_with_the_same_statement_id_counts_once(started, client):
    single = started["questions"]["single"]
    sid = str(uuid.uuid4())
    assert save(client, started, single.key, "2", sid).json() == {"saved": True, "errors": {}}
    assert save(client, started, single.key, "2", sid).status_code == 200  # the retry after a dropped connection
    assert answered_statements() == 1
    # A changed answer is a new statement, and the page shows it after a reload.
    save(client, started, single.key, "1", str(uuid.uuid4()))
    assert answered_statements() == 2
    assert started["attempt"].answers.get().answer == {"choice": "1"}
    page = client.get(started["url"]).content.decode()
    assert 'value="1" checked' in page
    assert 'data-state="saved"' in page and '解答済み <strong id="quiz-answered">1</strong> / 2' in page


def test_an_unreadable_answer_says_what_to_fix_as_json(cast, questions, client):
    quiz = make_quiz(cast, [questions["numerical"]])
    lesson = quiz_lesson(cast, quiz)
    client.force_login(cast.rep_a1)
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    client.post(url, {"action": "start", "sid": str(uuid.uuid4())})
    attempt = Attempt.objects.get()
    key = questions["numerical"].key
    response = client.post(
        url,
        {
            "action": "save",
            "attempt": str(attempt.key),
            "question": str(key),
            f"q-{key}": "三百",
            f"sid-{key}": str(uuid.uuid4()),
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "数字で入力してください" in response.json()["errors"][str(key)]
    assert not attempt.answers.exists()


def test_a_double_tapped_submit_counts_once_and_shows_the_same_result(started, client):
    single, short = started["questions"]["single"], started["questions"]["short"]
    attempt = started["attempt"]
    fields = {
        "action": "submit",
        "attempt": str(attempt.key),
        "submit_sid": str(uuid.uuid4()),
        f"q-{single.key}": "1",
        f"sid-{single.key}": str(uuid.uuid4()),
        f"q-{short.key}": "オートクローズ",
        f"sid-{short.key}": str(uuid.uuid4()),
    }
    first = client.post(started["url"], fields)
    second = client.post(started["url"], fields)
    assert first.url == second.url == reverse("assessments:quiz_attempt_result", args=[attempt.pk])
    assert Attempt.objects.count() == 1 and Statement.objects.filter(verb__endswith="/passed").count() == 1
    assert answered_statements() == 2
    # A save from an old tab after submitting is refused without changing anything.
    late = save(client, started, single.key, "2", str(uuid.uuid4()))
    assert late.status_code == 409
    assert attempt.answers.get(question_key=single.key).answer == {"choice": "1"}


def test_the_page_counts_down_a_time_limit_and_a_late_answer_submits_what_was_saved(started, client):
    attempt = started["attempt"]
    page = client.get(started["url"]).content.decode()
    assert 'id="quiz-timer"' in page and f'data-deadline="{timezone.localtime(attempt.deadline).isoformat()}"' in page
    single = started["questions"]["single"]
    save(client, started, single.key, "1", str(uuid.uuid4()))
    later = timezone.now() + timedelta(minutes=11)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = save(client, started, started["questions"]["short"].key, "オートクローズ", str(uuid.uuid4()))
    assert response.status_code == 409
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.score == pytest.approx(0.5)
    assert not attempt.passed


def test_the_result_shows_each_answer_feedback_explanations_and_attempts_left(started, client):
    single, short = started["questions"]["single"], started["questions"]["short"]
    attempt = started["attempt"]
    client.post(
        started["url"],
        {
            "attempt": str(attempt.key),
            "submit_sid": str(uuid.uuid4()),
            f"q-{single.key}": "2",
            f"q-{short.key}": "自動締め",
        },
    )
    page = client.get(reverse("assessments:quiz_attempt_result", args=[attempt.pk])).content.decode()
    assert "25%" in page and "不合格" in page
    assert "買い切りの販売はしていません。" in page  # the chosen option's feedback
    assert "ユーザー数に応じた<strong>月額制</strong>です。" in page  # the explanation
    assert "is-wrong" in page and "is-partly" in page  # each question right or wrong
    assert "あと1回受験できます" in page and "もう一度受ける" in page


def test_someone_else_cannot_save_into_a_reps_attempt(started, client, cast):
    single = started["questions"]["single"]
    client.force_login(cast.rep_a2)
    response = save(client, started, single.key, "1", str(uuid.uuid4()))
    assert response.status_code == 409  # not their attempt: nothing is saved, and nothing is started either
    assert not started["attempt"].answers.exists() and Attempt.objects.count() == 1
    client.force_login(cast.rep_b1)
    assert save(client, started, single.key, "1", str(uuid.uuid4())).status_code == 404
