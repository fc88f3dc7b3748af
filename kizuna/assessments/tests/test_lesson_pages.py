"""Quiz and micro lessons over HTTP: start, answer, submit, see the result; the lesson completes through the seam."""

import re
import uuid

import pytest
from django.urls import reverse

from kizuna.assessments.models import Attempt
from kizuna.records.models import LessonProgress, Statement

from .conftest import make_quiz, quiz_lesson


def form_answers(questions, *, right=True):
    """POST fields answering the bank's single, true/false and short questions."""
    single, tf, short = questions["single"], questions["truefalse"], questions["short"]
    return {
        f"q-{single.key}": "1" if right else "2",
        f"q-{tf.key}": "true" if right else "false",
        f"q-{short.key}": "オートクローズ" if right else "わからない",
    }


@pytest.fixture
def quiz(cast, questions):
    return make_quiz(cast, [questions["single"], questions["truefalse"], questions["short"]], pass_mark=60)


def test_a_rep_starts_answers_and_submits_a_quiz_lesson(cast, quiz, questions, client):
    lesson = quiz_lesson(cast, quiz)
    client.force_login(cast.rep_a1)
    page = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert "確認テストを始める" in page and "合格点 60%" in page
    sid = re.search(r'name="sid" value="([^"]+)"', page).group(1)
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    assert client.post(url, {"action": "start", "sid": sid}).url == url
    client.post(url, {"action": "start", "sid": sid})  # a double tap on start
    assert Attempt.objects.count() == 1

    player = client.get(url).content.decode()
    assert "クラウド勤怠 KIZUNA の料金体系は?" in player and "第1問(全3問)" in player
    attempt = Attempt.objects.get()
    fields = {"attempt": str(attempt.key), "submit_sid": str(uuid.uuid4()), **form_answers(questions)}
    response = client.post(url, fields)
    assert response.url == reverse("assessments:quiz_attempt_result", args=[attempt.pk])
    result = client.get(response.url).content.decode()
    assert "100%" in result and "合格" in result
    assert "ユーザー数に応じた<strong>月額制</strong>です。" in result  # the explanation
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is not None
    # The same form posted again (a double tap on submit) changes nothing.
    assert client.post(url, fields).url == response.url
    assert Statement.objects.filter(verb__endswith="/passed").count() == 1


def test_answers_are_saved_as_the_rep_goes(cast, quiz, questions, client):
    lesson = quiz_lesson(cast, quiz)
    client.force_login(cast.rep_a1)
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    client.post(url, {"action": "start", "sid": str(uuid.uuid4())})
    attempt = Attempt.objects.get()
    tf = questions["truefalse"]
    save = {
        "action": "save",
        "attempt": str(attempt.key),
        "question": str(tf.key),
        f"q-{tf.key}": "true",
        f"sid-{tf.key}": str(uuid.uuid4()),
    }
    response = client.post(url, save, HTTP_ACCEPT="application/json")
    assert response.json() == {"saved": True, "errors": {}}
    assert attempt.answers.get().answer == {"choice": "true"}
    # Reloading the page shows the saved answer checked.
    assert 'value="true" checked' in client.get(url).content.decode()
    numerical = make_quiz(cast, [questions["numerical"]], title="数")
    bad = quiz_lesson(cast, numerical, slug="numbers")
    bad_url = reverse("assessments:quiz_attempt", args=[bad.pk])
    client.post(bad_url, {"action": "start", "sid": str(uuid.uuid4())})
    other = Attempt.objects.get(lesson=bad)
    key = questions["numerical"].key
    response = client.post(
        bad_url, {"attempt": str(other.key), f"q-{key}": "さんびゃく", "submit_sid": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert "数字で入力してください" in response.content.decode()
    other.refresh_from_db()
    assert other.submitted_at is None


def test_a_failed_rep_can_try_again_until_the_attempts_run_out(cast, questions, client):
    quiz = make_quiz(cast, [questions["truefalse"]], allowed_attempts=1, pass_mark=100)
    lesson = quiz_lesson(cast, quiz)
    client.force_login(cast.rep_a1)
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    client.post(url, {"action": "start", "sid": str(uuid.uuid4())})
    attempt = Attempt.objects.get()
    key = questions["truefalse"].key
    client.post(url, {"attempt": str(attempt.key), f"q-{key}": "false", "submit_sid": str(uuid.uuid4())})
    page = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert "すべての受験回数を使いました" in page
    response = client.post(url, {"action": "start", "sid": str(uuid.uuid4())}, follow=True)
    assert "1回すべて" in response.content.decode()


def test_a_micro_lesson_shows_the_video_and_its_check_questions_and_completes_when_passed(
    cast, quiz, questions, client
):
    lesson = quiz_lesson(cast, quiz, kind="micro")
    client.force_login(cast.rep_a1)
    page = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert '<video id="player"' in page
    assert "確認問題" in page and "クラウド勤怠 KIZUNA の料金体系は?" in page
    fields = {name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1) for name in ("start_sid", "submit_sid")}
    fields |= {"action": "submit", **form_answers(questions)}
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    first = client.post(url, fields)
    second = client.post(url, fields)  # double tap
    assert first.url == second.url
    assert Attempt.objects.count() == 1 and Attempt.objects.get().passed
    assert Statement.objects.filter(verb__endswith="/answered").count() == 3
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is not None
    after = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert "合格" in after and "解答と解説を見る" in after


def test_a_failed_micro_check_asks_to_watch_again(cast, quiz, questions, client):
    lesson = quiz_lesson(cast, quiz, kind="micro")
    client.force_login(cast.rep_a1)
    page = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    fields = {n: re.search(rf'name="{n}" value="([^"]+)"', page).group(1) for n in ("start_sid", "submit_sid")}
    client.post(
        reverse("assessments:quiz_attempt", args=[lesson.pk]),
        {"action": "submit", **fields, **form_answers(questions, right=False)},
    )
    again = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert "動画をもう一度見て" in again
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is None


def test_staff_see_the_start_card_without_taking_the_quiz(cast, quiz, client):
    lesson = quiz_lesson(cast, quiz)
    client.force_login(cast.author)
    page = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert "3問" in page and "確認テストを始める" not in page
    assert client.get(reverse("assessments:quiz_attempt", args=[lesson.pk])).status_code == 302
    assert client.post(reverse("assessments:quiz_attempt", args=[lesson.pk]), {"action": "start"}).status_code == 404


def test_the_result_is_for_the_rep_their_manager_and_the_principal_only(cast, quiz, questions, client):
    lesson = quiz_lesson(cast, quiz)
    client.force_login(cast.rep_a1)
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    client.post(url, {"action": "start", "sid": str(uuid.uuid4())})
    attempt = Attempt.objects.get()
    client.post(
        url, {"attempt": str(attempt.key), "submit_sid": str(uuid.uuid4()), **form_answers(questions, right=False)}
    )
    result_url = reverse("assessments:quiz_attempt_result", args=[attempt.pk])
    for person, status in [
        (cast.rep_a1, 200),
        (cast.manager_a, 200),
        (cast.admin, 200),
        (cast.coach, 200),
        (cast.rep_a2, 404),
        (cast.author, 404),  # authors see aggregates only
        (cast.manager_b, 404),
        (cast.rep_b1, 404),
    ]:
        client.force_login(person)
        response = client.get(result_url)
        assert response.status_code == status, person.email
        if status == 200:
            assert "買い切りの販売はしていません。" in response.content.decode()  # the chosen option's feedback
