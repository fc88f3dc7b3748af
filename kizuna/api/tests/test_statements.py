"""POST /lessons/{id}/statements: the player and integrations record learning for the caller, once per id."""

import uuid

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


# --- The xAPI Video Profile (what the player sends now) ------------------------------------------

VV = "https://w3id.org/xapi/video/verbs/"
ADL = "http://adlnet.gov/expapi/verbs/"
TIME_FROM = "https://w3id.org/xapi/video/extensions/time-from"
TIME_TO = "https://w3id.org/xapi/video/extensions/time-to"


def _video(verb, *, session, result=None):
    body = {"id": str(uuid.uuid4()), "verb": {"id": verb}, "context": {"extensions": {SESSION: session, LENGTH: 100}}}
    if result is not None:
        body["result"] = result
    return body


def _report(verb, *, session, segments, seconds, **ext):
    return _video(
        verb, session=session, result={"duration": f"PT{seconds}S", "extensions": {SEGMENTS: segments, **ext}}
    )


def _all_projection_rows():
    from kizuna.records.models import CourseProgress, LearningDay
    from kizuna.records.projections import COURSE_PROGRESS_FIELDS, LEARNING_DAY_FIELDS, LESSON_PROGRESS_FIELDS

    return (
        sorted(LessonProgress.objects.values_list(*LESSON_PROGRESS_FIELDS)),
        sorted(CourseProgress.objects.values_list(*COURSE_PROGRESS_FIELDS)),
        sorted(LearningDay.objects.values_list(*LEARNING_DAY_FIELDS)),
    )


def test_a_video_played_with_the_video_profile_completes_at_90_percent_and_every_statement_follows_the_profile(
    cast, api_as, video_course
):
    from kizuna.records.projections import rebuild_all
    from kizuna.records.services import statement_to_xapi
    from kizuna.records.tests.xapi_validation import is_video_statement, xapi_problems

    lesson = first_lesson(video_course)
    caller = api_as(cast.rep_a1)
    session = str(uuid.uuid4())
    for sent in (
        _video(ADL + "initialized", session=session),
        _video(VV + "played", session=session, result={"extensions": {TIME: 0}}),
        _report(VV + "paused", session=session, segments="0[.]40", seconds=40, **{TIME: 40}),
        _video(VV + "played", session=session, result={"extensions": {TIME: 40}}),
        _report(
            VV + "seeked", session=session, segments="0[.]40[,]40[.]60", seconds=20, **{TIME_FROM: 60, TIME_TO: 30}
        ),
    ):
        response = caller.post(_url(lesson), sent)
        assert response.status_code == 200, response.content
    after_seek = response.json()["progress"]
    assert after_seek == {"progress": 0.6, "completed": False, "position_seconds": 30.0}
    # Played on from 60 (after watching 30..60 again): the whole session's segments, 50 s of playing.
    done = caller.post(
        _url(lesson),
        _report(VV + "paused", session=session, segments="0[.]60[,]30[.]95", seconds=65, **{TIME: 95}),
    ).json()
    assert done["progress"]["completed"] is True and done["progress"]["progress"] == 0.95
    assert done["course"] == {"percent": 100, "completed": True}
    ended = _report(ADL + "terminated", session=session, segments="0[.]95", seconds=0, **{TIME: 95})
    assert caller.post(_url(lesson), ended).status_code == 200

    lp = LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson)
    assert lp.time_spent_seconds == 40 + 20 + 65 and lp.position_seconds == 95
    stored = list(Statement.objects.filter(actor=cast.rep_a1).order_by("seq"))
    names = [st.verb.rsplit("/", 1)[-1] for st in stored]
    assert names == ["initialized", "played", "paused", "played", "seeked", "paused", "completed", "completed",
                     "terminated"]  # fmt: skip
    served = [statement_to_xapi(st) for st in stored]
    assert all(xapi_problems(data) == [] for data in served), [xapi_problems(d) for d in served]
    profile = [data for data in served if is_video_statement(data)]
    assert len(profile) == 8  # all but the course's completion
    completed = next(d for d in profile if d["verb"]["id"] == ADL + "completed")
    assert completed["result"]["extensions"]["https://w3id.org/xapi/video/extensions/progress"] == 0.95
    assert completed["context"]["contextActivities"]["category"][0]["id"] == "https://w3id.org/xapi/video"
    assert completed["context"]["extensions"][LENGTH] == VIDEO_SECONDS
    # The completion's duration is the whole time spent: served, but not counted a second time.
    assert completed["result"]["duration"] == "PT125S"

    live = _all_projection_rows()
    rebuild_all()
    assert _all_projection_rows() == live


def test_a_video_profile_report_claiming_more_new_video_than_the_time_played_is_refused(cast, api_as, video_course):
    lesson = first_lesson(video_course)
    session = str(uuid.uuid4())
    sent = _report(VV + "paused", session=session, segments="0[.]95", seconds=5, **{TIME: 95})
    body = assert_problem(api_as(cast.rep_a1).post(_url(lesson), sent), 422)
    assert body["type"].endswith("/statement-rejected")
    assert not Statement.objects.filter(actor=cast.rep_a1).exists()


def test_a_video_session_id_that_is_not_a_uuid_is_refused(cast, api_as, video_course):
    lesson = first_lesson(video_course)
    sent = _video(VV + "played", session="player-1", result={"extensions": {TIME: 0}})
    assert_problem(api_as(cast.rep_a1).post(_url(lesson), sent), 422)


def test_old_progressed_reports_and_video_profile_reports_project_together_and_rebuild_the_same(
    cast, api_as, video_course
):
    """An old player's queued `progressed` reports still count, beside the new player's statements."""
    from kizuna.records.projections import rebuild_all

    lesson = first_lesson(video_course)
    caller = api_as(cast.rep_a1)
    assert caller.post(_url(lesson), _watched("0[.]50", time=50, seconds=50)).status_code == 200
    session = str(uuid.uuid4())
    body = caller.post(
        _url(lesson), _report(VV + "paused", session=session, segments="50[.]92", seconds=42, **{TIME: 92})
    ).json()
    assert body["progress"]["completed"] is True and body["progress"]["progress"] == 0.92
    live = _all_projection_rows()
    rebuild_all()
    assert _all_projection_rows() == live


def test_statements_stored_in_the_old_shape_rebuild_into_the_same_progress_as_before(cast, video_course):
    """Rows exactly as the code before the Video Profile stored them (progressed with length, time and
    played segments in result.extensions, empty parent and extensions in the context)."""
    from datetime import timedelta

    from django.utils import timezone

    from kizuna.records.models import CourseProgress, LearningDay
    from kizuna.records.projections import rebuild_all
    from kizuna.records.services import statement_to_xapi
    from kizuna.records.tests.xapi_validation import xapi_problems

    lesson = first_lesson(video_course)
    version = lesson.version
    at = timezone.now() - timedelta(hours=1)
    common = {
        "actor": cast.rep_a1,
        "partner": cast.partner_a,
        "object_iri": f"http://testserver/xapi/activities/lesson/{lesson.key}/v{version.number}",
        "object_type": "https://w3id.org/xapi/video/activity-type/video",
        "object_name": {"ja-JP": lesson.title},
        "course_id": version.course_id,
        "course_version": version,
        "lesson": lesson,
        "context": {"platform": "Kizuna", "language": "ja", "contextActivities": {"parent": []}, "extensions": {}},
    }

    def old(verb, seconds_after, result=None, duration=None):
        return Statement.objects.create(
            **common,
            verb=ADL + verb,
            result=result,
            duration_seconds=duration,
            timestamp=at + timedelta(seconds=seconds_after),
        )

    def report(segments, time, seconds):
        extensions = {SEGMENTS: segments, TIME: time, LENGTH: VIDEO_SECONDS, SESSION: "demo-0123456789ab"}
        return {"duration": f"PT{seconds}S", "extensions": extensions}

    old("launched", 0)
    old("progressed", 50, report("0[.]50", 50, 50), 50)
    old("progressed", 250, report("50[.]95", 95, 200), 200)  # an old report over 120 s counts 120, as before
    old("completed", 251, {"completion": True})
    rebuild_all()

    lp = LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson)
    assert lp.played_segments == [[0, 95]] and lp.progress == 0.95 and lp.position_seconds == 95
    assert lp.time_spent_seconds == 50 + 120 and lp.completed_at == at + timedelta(seconds=251)
    cp = CourseProgress.objects.get(user=cast.rep_a1, course_id=version.course_id)
    assert cp.lessons_completed == 1 and cp.time_spent_seconds == 170
    assert sum(LearningDay.objects.filter(user=cast.rep_a1).values_list("seconds", flat=True)) == 170
    # Served, the old rows are valid xAPI too (pruned), though not reshaped into the Video Profile's statements.
    served = [statement_to_xapi(st) for st in Statement.objects.filter(actor=cast.rep_a1).select_related("actor")]
    assert [xapi_problems(d, video_profile=False) for d in served if xapi_problems(d, video_profile=False)] == []
