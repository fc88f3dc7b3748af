"""GET /lessons/{id}: one lesson with its video and the rep's progress."""

import uuid

from kizuna.records import services as records

from .conftest import VIDEO_SECONDS, assert_problem, first_lesson


def test_an_article_lesson_has_its_html_body(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    body = api_as(cast.rep_a1).get(f"/lessons/{lesson.pk}").json()
    assert body["kind"] == "article" and body["title"] == "創業者の想い"
    assert "お客様第一" in body["body_html"]
    assert body["video"] is None
    assert body["course"] == {"id": article_course.pk, "title": "製品の基本"}
    assert body["progress"] == {"position_seconds": 0.0, "progress": 0.0, "completed": False}
    assert body["statements_url"].endswith(f"/api/v1/lessons/{lesson.pk}/statements")


def test_a_video_lesson_has_its_stream_and_where_to_resume(cast, api_as, video_course):
    lesson = first_lesson(video_course)
    records.video_progress_record(
        rep=cast.rep_a1,
        lesson=lesson,
        segments="0[.]30",
        time=30,
        length=VIDEO_SECONDS,
        seconds=30,
        statement_id=uuid.uuid4(),
    )
    body = api_as(cast.rep_a1).get(f"/lessons/{lesson.pk}").json()
    video = body["video"]
    assert video["status"] == "ready" and video["duration_seconds"] == VIDEO_SECONDS
    assert video["stream_url"].endswith(f"/videos/{lesson.video.key}/stream")
    assert video["poster_url"].endswith(f"/videos/{lesson.video.key}/poster")
    assert body["body_html"] is None
    assert body["progress"]["position_seconds"] == 30
    assert body["progress"]["progress"] == 0.3 and body["progress"]["completed"] is False


def test_partner_b_gets_404_for_partner_a_lesson(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    assert_problem(api_as(cast.rep_b1).get(f"/lessons/{lesson.pk}"), 404)
    assert_problem(api_as(cast.manager_b).get(f"/lessons/{lesson.pk}"), 404)


def test_a_missing_lesson_is_a_404_problem(cast, api_as):
    assert_problem(api_as(cast.rep_a1).get("/lessons/999999"), 404)
