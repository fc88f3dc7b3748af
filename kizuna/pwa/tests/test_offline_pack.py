"""GET /pwa/lessons/<id>/pack/: what saving a lesson on the phone stores and weighs, or why it cannot be saved."""

from typing import Any

import pytest
from django.test import Client

from kizuna.assessments.tests.conftest import make_bank, make_quiz, quiz_lesson
from kizuna.pwa.selectors import OFFLINE_BUDGET_BYTES, PAGE_ALLOWANCE_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiz_kinds() -> None:
    from kizuna.assessments.kinds import register_kinds

    register_kinds()


def _quiz(cast: Any, **settings: Any) -> Any:
    by_type = {q.type: q for q in make_bank(cast).questions.all()}
    return make_quiz(cast, [by_type["single"], by_type["truefalse"]], **settings)


def _pack(client: Client, user: Any, lesson: Any) -> Any:
    client.force_login(user)
    return client.get(f"/pwa/lessons/{lesson.pk}/pack/")


def test_a_micro_lessons_pack_holds_its_page_video_and_poster_with_their_size(client, cast):
    lesson = quiz_lesson(cast, _quiz(cast), kind="micro")
    response = _pack(client, cast.rep_a1, lesson)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    pack = response.json()
    video = lesson.video
    assert pack["page"] == f"/learn/lessons/{lesson.pk}/" and pack["refused"] == ""
    assert pack["urls"] == [pack["page"], f"/videos/{video.key}/stream", f"/videos/{video.key}/poster"]
    assert pack["bytes"] == 1024 + PAGE_ALLOWANCE_BYTES and pack["budget_bytes"] == OFFLINE_BUDGET_BYTES


def test_an_article_is_saved_with_its_page_only(client, cast, article_course):
    lesson = article_course.latest_version.lessons.order_by("position").first()
    pack = _pack(client, cast.rep_a1, lesson).json()
    assert pack["urls"] == [f"/learn/lessons/{lesson.pk}/"] and pack["refused"] == ""


def test_it_refuses_a_quiz_with_a_time_limit(client, cast):
    lesson = quiz_lesson(cast, _quiz(cast, time_limit_minutes=10))
    pack = _pack(client, cast.rep_a1, lesson).json()
    assert "制限時間" in pack["refused"]


def test_a_quiz_is_saved_with_its_open_attempt_only(client, cast):
    lesson = quiz_lesson(cast, _quiz(cast))
    assert "開始" in _pack(client, cast.rep_a1, lesson).json()["refused"]
    client.post(
        f"/learn/lessons/{lesson.pk}/attempt/", {"action": "start", "sid": "9f0b3b8e-8f3c-4a57-9d43-2c1f0f1d5a11"}
    )
    pack = _pack(client, cast.rep_a1, lesson).json()
    assert pack["refused"] == "" and f"/learn/lessons/{lesson.pk}/attempt/" in pack["urls"]


def test_it_speaks_english_to_an_english_speaking_rep(client, cast):
    cast.rep_a1.language = "en"
    cast.rep_a1.save(update_fields=["language"])
    lesson = quiz_lesson(cast, _quiz(cast, time_limit_minutes=10))
    assert "time limit" in _pack(client, cast.rep_a1, lesson).json()["refused"]


def test_it_is_not_found_for_anyone_but_a_rep_who_may_open_the_lesson(client, cast):
    lesson = quiz_lesson(cast, _quiz(cast), kind="micro")
    assert _pack(client, cast.rep_b1, lesson).status_code == 404
    assert _pack(client, cast.manager_a, lesson).status_code == 404


def test_the_saved_lessons_page_opens_without_signing_in_and_is_kept_by_the_worker(client):
    response = client.get("/offline/saved/")
    assert response.status_code == 200 and 'id="saved-lessons"' in response.content.decode()
    assert "/offline/saved/" in client.get("/sw.js").content.decode()
