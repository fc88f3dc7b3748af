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


def test_a_course_is_saved_whole_with_one_tap_its_size_the_sum_of_its_lessons(client, cast):
    from conftest import publish_course

    course = publish_course(
        cast,
        slug="offline-whole",
        title="まとめて保存",
        lessons=[
            {"kind": "article", "title": "記事その1", "body": "本文"},
            {"kind": "article", "title": "記事その2", "body": "本文"},
            {"kind": "quiz", "title": "時間内に解く", "content_id": _quiz(cast, time_limit_minutes=10).pk},
        ],
    )
    client.force_login(cast.rep_a1)
    response = client.get(f"/pwa/courses/{course.pk}/pack/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    bundle = response.json()
    assert [p["title"] for p in bundle["packs"]] == ["記事その1", "記事その2"]
    assert bundle["bytes"] == 2 * PAGE_ALLOWANCE_BYTES
    assert [r["title"] for r in bundle["refused"]] == ["時間内に解く"]
    assert all(p["key"] == p["lesson"] for p in bundle["packs"])


def test_the_next_up_pack_holds_the_next_lesson_of_each_course(client, cast, article_course):
    client.force_login(cast.rep_a1)
    bundle = client.get("/pwa/next-up/pack/").json()
    first = article_course.latest_version.lessons.order_by("position").first()
    assert [p["lesson"] for p in bundle["packs"]] == [first.pk]


def test_the_course_and_next_up_packs_are_for_reps_of_the_course_only(client, cast, article_course):
    client.force_login(cast.rep_b1)
    assert client.get(f"/pwa/courses/{article_course.pk}/pack/").status_code == 404
    client.force_login(cast.manager_a)
    assert client.get(f"/pwa/courses/{article_course.pk}/pack/").status_code == 404
    assert client.get("/pwa/next-up/pack/").status_code == 404


def test_the_rep_home_and_course_page_offer_the_one_tap_save(client, cast, article_course):
    client.force_login(cast.rep_a1)
    home = client.get("/").content.decode()
    assert 'id="offline-bundle"' in home and 'data-pack="/pwa/next-up/pack/"' in home
    course = client.get(f"/learn/courses/{article_course.pk}/").content.decode()
    assert f'data-pack="/pwa/courses/{article_course.pk}/pack/"' in course
    client.force_login(cast.manager_a)
    assert 'id="offline-bundle"' not in client.get(f"/learn/courses/{article_course.pk}/").content.decode()


def test_every_rep_page_carries_the_outbox_notice_in_the_reps_language(client, cast, article_course):
    lesson = article_course.latest_version.lessons.order_by("position").first()
    client.force_login(cast.rep_a1)
    for url in ("/", f"/learn/lessons/{lesson.pk}/", "/community/"):
        page = client.get(url).content.decode()
        assert 'id="outbox-notice"' in page and "pwa/notice.js" in page and "pwa/outbox.js" in page, url
        assert "オフラインで行ったことを送信しました" in page
    cast.rep_a1.language = "en"
    cast.rep_a1.save(update_fields=["language"])
    assert "What you did offline is now sent" in client.get("/").content.decode()
    client.force_login(cast.manager_a)
    assert 'id="outbox-notice"' not in client.get("/").content.decode()
    assert "/static/pwa/notice.js" in client.get("/sw.js").content.decode()
