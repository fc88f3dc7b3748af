"""POST /lessons/{id}/statements: the player and integrations record learning for the caller, once per id."""

from kizuna.records.models import LessonProgress, Statement

from .conftest import VIDEO_SECONDS, assert_problem, first_lesson, statement

SEGMENTS = "https://w3id.org/xapi/video/extensions/played-segments"
TIME = "https://w3id.org/xapi/video/extensions/time"
LENGTH = "https://w3id.org/xapi/video/extensions/length"
SESSION = "https://w3id.org/xapi/video/extensions/session-id"


def _url(lesson):
    return f"/lessons/{lesson.pk}/statements"


def _watched(segments, *, time, seconds):
    return statement(
        "progressed",
        result={"duration": f"PT{seconds}S", "extensions": {SEGMENTS: segments, TIME: time, LENGTH: VIDEO_SECONDS}},
        context={"extensions": {SESSION: "player-1"}},
    )


def test_launched_is_recorded_for_the_caller(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    sent = statement("launched")
    response = api_as(cast.rep_a1).post(_url(lesson), sent)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == sent["id"] and body["stored"] is True
    st = Statement.objects.get(id=sent["id"])
    assert st.actor == cast.rep_a1 and st.lesson == lesson and st.verb.endswith("/launched")


def test_reading_time_and_completion_update_the_progress(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    caller = api_as(cast.rep_a1)
    caller.post(_url(lesson), statement("progressed", result={"duration": "PT40S"}))
    body = caller.post(_url(lesson), statement("completed")).json()
    assert body["progress"]["completed"] is True and body["progress"]["progress"] == 1.0
    assert body["course"] == {"percent": 50, "completed": False}
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 40


def test_a_repeated_id_is_answered_again_and_counted_once(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    caller = api_as(cast.rep_a1)
    sent = statement("progressed", result={"duration": "PT30S"})
    first = caller.post(_url(lesson), sent).json()
    again = caller.post(_url(lesson), sent).json()
    assert first["stored"] is True and again["stored"] is False
    assert first["progress"] == again["progress"] and first["course"] == again["course"]
    assert Statement.objects.filter(id=sent["id"]).count() == 1
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 30


def test_the_body_cannot_record_for_another_person(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    sent = statement(
        "launched",
        actor={"objectType": "Agent", "account": {"homePage": "http://x", "name": str(cast.rep_a2.public_id)}},
        object={"id": "http://elsewhere.example/activity"},
    )
    assert api_as(cast.rep_a1).post(_url(lesson), sent).status_code == 200
    st = Statement.objects.get(id=sent["id"])
    assert st.actor == cast.rep_a1 and st.lesson == lesson
    assert not Statement.objects.filter(actor=cast.rep_a2).exists()


def test_another_persons_statement_id_is_refused(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    sent = statement("launched")
    api_as(cast.rep_a2).post(_url(lesson), sent)
    body = assert_problem(api_as(cast.rep_a1).post(_url(lesson), sent), 422)
    assert body["type"].endswith("/statement-rejected")
    assert Statement.objects.get(id=sent["id"]).actor == cast.rep_a2


def test_a_video_cannot_be_completed_before_90_percent_is_watched(cast, api_as, video_course):
    lesson = first_lesson(video_course)
    caller = api_as(cast.rep_a1)
    caller.post(_url(lesson), _watched("0[.]50", time=50, seconds=50))
    response = caller.client.post(
        f"/api/v1{_url(lesson)}", statement("completed"), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = assert_problem(response, 422)
    assert "90%" in body["detail"]
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is None


def test_watching_the_played_segments_completes_a_video(cast, api_as, video_course):
    lesson = first_lesson(video_course)
    caller = api_as(cast.rep_a1)
    first = caller.post(_url(lesson), _watched("0[.]50", time=50, seconds=50)).json()
    assert first["progress"] == {"progress": 0.5, "completed": False, "position_seconds": 50.0}
    second = caller.post(_url(lesson), _watched("50[.]95", time=95, seconds=45)).json()
    assert second["progress"]["completed"] is True and second["progress"]["progress"] >= 0.9
    assert second["course"] == {"percent": 100, "completed": True}


def test_segments_longer_than_the_time_spent_are_refused(cast, api_as, video_course):
    lesson = first_lesson(video_course)
    body = assert_problem(api_as(cast.rep_a1).post(_url(lesson), _watched("0[.]95", time=95, seconds=5)), 422)
    assert body["type"].endswith("/statement-rejected")


def test_only_reps_record_learning(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    body = assert_problem(api_as(cast.manager_a).post(_url(lesson), statement("launched")), 403)
    assert body["type"].endswith("/not-a-learner")
    assert_problem(api_as(cast.admin).post(_url(lesson), statement("launched")), 403)
    assert not Statement.objects.filter(lesson=lesson).exists()


def test_partner_b_gets_404_and_records_nothing(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    assert_problem(api_as(cast.rep_b1).post(_url(lesson), statement("launched")), 404)
    assert not Statement.objects.filter(lesson=lesson).exists()


def test_an_unknown_verb_is_a_422_problem(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    sent = {"id": statement("x")["id"], "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"}}
    assert_problem(api_as(cast.rep_a1).post(_url(lesson), sent), 422)


def test_progressed_without_a_duration_is_a_422_problem(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    body = assert_problem(api_as(cast.rep_a1).post(_url(lesson), statement("progressed")), 422)
    assert "duration" in body["detail"]


def test_a_statement_without_an_id_lists_the_field_to_fix(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    response = api_as(cast.rep_a1).client.post(
        f"/api/v1{_url(lesson)}",
        {"verb": {"id": "http://adlnet.gov/expapi/verbs/launched"}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = assert_problem(response, 422)
    assert body["type"].endswith("/validation")
    assert {"loc": ["body", "id"], "msg": "This field is required."} in body["errors"]
