"""Errors are RFC 7807 problem details, in the caller's language."""

from django.test import Client

from .conftest import assert_problem


def test_a_404_is_a_problem_document(cast, api_as):
    body = assert_problem(api_as(cast.rep_a1).get("/courses/424242"), 404)
    assert body["instance"] == "/api/v1/courses/424242"


def test_bad_query_values_are_a_422_problem_with_errors(cast, api_as):
    body = assert_problem(api_as(cast.manager_a).get("/reports/progress", partner_id="abc"), 422)
    assert body["errors"] and {"loc", "msg"} <= set(body["errors"][0])


def test_a_body_that_is_not_json_is_a_400_problem(cast, api_as, article_course):
    lesson = article_course.latest_version.lessons.first()
    response = api_as(cast.rep_a1).client.post(
        f"/api/v1/lessons/{lesson.pk}/statements", "{not json", content_type="application/json"
    )
    assert_problem(response, 400)


def test_problems_speak_the_callers_language(db):
    ja = Client(HTTP_ACCEPT_LANGUAGE="ja").get("/api/v1/me").json()
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/me").json()
    assert en["title"] == "Authentication required"
    assert ja["title"] != en["title"] and ja["detail"] != en["detail"]


def test_a_persons_chosen_language_wins_for_token_calls(cast, api_as):
    cast.rep_a1.language = "en"
    cast.rep_a1.save()
    caller = api_as(cast.rep_a1)
    response = caller.client.get("/api/v1/courses/424242", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.json()["title"] == "Not found"


def test_each_problem_type_describes_itself(db):
    response = Client().get("/api/v1/problems/not-found")
    assert response.status_code == 200
    assert response.json()["status"] == 404
    assert_problem(Client().get("/api/v1/problems/no-such-problem"), 404)
