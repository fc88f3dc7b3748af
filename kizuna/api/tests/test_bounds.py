"""Integers past what a column holds, and other out-of-range input, get a problem document, never a 500."""

import json
import uuid

import pytest
from django.test import Client

from .conftest import assert_problem, statement

HUGE = str(2**63)


@pytest.mark.parametrize(
    "path", ["/courses", "/statements", "/field-voice", "/community/questions", "/kpis", "/me/assignments"]
)
def test_an_offset_of_two_to_the_63_is_refused_with_a_problem(cast, api_as, path):
    body = assert_problem(api_as(cast.admin).get(path, offset=HUGE), 422)
    assert {"loc": ["query", "offset"], "msg": "2147483647 以下の数値を入力してください。"} in body["errors"]


def test_a_limit_over_the_page_size_is_refused(cast, api_as):
    body = assert_problem(api_as(cast.admin).get("/courses", limit=201), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]


def test_the_largest_offset_answers_an_empty_page(cast, api_as):
    response = api_as(cast.admin).get("/statements", offset=2**31 - 1)
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("path", ["/courses/{}", "/lessons/{}", "/community/questions/{}"])
def test_an_id_past_a_bigint_is_refused_with_a_problem(cast, api_as, path):
    body = assert_problem(api_as(cast.admin).get(path.format(HUGE)), 422)
    assert body["errors"][0]["loc"][0] == "path"


def test_an_id_of_zero_is_refused_with_a_problem(cast, api_as):
    assert_problem(api_as(cast.admin).get("/courses/0"), 422)


@pytest.mark.parametrize("param", ["partner_id", "rep_id"])
def test_a_kpi_filter_id_past_a_bigint_is_refused(cast, api_as, param):
    body = assert_problem(api_as(cast.admin).get("/kpis", **{param: HUGE}), 422)
    assert body["errors"][0]["loc"] == ["query", param]


def test_the_entitlements_partner_past_a_bigint_is_refused(cast, api_as):
    assert_problem(api_as(cast.admin).get("/entitlements", partner=HUGE), 422)


def test_a_unix_time_is_not_taken_for_since(cast, api_as):
    body = assert_problem(api_as(cast.admin).get("/statements", since="0.5"), 422)
    assert body["errors"][0]["loc"] == ["query", "since"]


def test_an_iso_8601_since_is_taken(cast, api_as):
    assert api_as(cast.admin).get("/statements", since="2026-11-27T09:00:00+09:00").status_code == 200


@pytest.mark.parametrize("since", ["0350-08-03T20:33:09+23:11", "2026-11-27T09:00:00"])
def test_a_since_with_any_valid_offset_or_none_is_taken(cast, api_as, since):
    # PostgreSQL refuses an offset past ±16 h in a query; the API compares in UTC.
    assert api_as(cast.admin).get("/statements", since=since).status_code == 200


def test_a_since_beyond_the_calendar_in_utc_is_refused(cast, api_as):
    assert_problem(api_as(cast.admin).get("/statements", since="0001-01-01T00:00:00+23:00"), 422)


def test_a_body_over_the_upload_limit_is_a_413_problem(cast, api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as(cast.admin).client.put(
        "/api/v1/kpis", json.dumps({"items": [], "pad": "x" * 2000}), content_type="application/json"
    )
    assert_problem(response, 413)


def test_extra_fields_in_a_statement_are_ignored(cast, api_as, video_course):
    from .conftest import first_lesson

    lesson = first_lesson(video_course)
    response = api_as(cast.rep_a1).post(
        f"/lessons/{lesson.pk}/statements", statement("launched", actor={"name": "ignored"}, unknown=1)
    )
    assert response.status_code == 200, response.content


def test_extra_fields_in_a_field_voice_entry_are_ignored(cast, api_as):
    body = {"id": str(uuid.uuid4()), "kind": "question", "text": "価格は？", "client_version": "2.1"}
    assert api_as(cast.rep_a1).post("/field-voice", body).status_code == 201


def test_every_operation_declares_its_problem_responses(db):
    document = Client().get("/api/v1/openapi.json").json()
    assert "Problem" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"404", "422"} | ({"401", "403"} if operation.get("security") else set())
            if "requestBody" in operation:
                expected |= {"400", "409", "413"}
            assert expected <= {str(code) for code in responses}, (method, path)
            problem = responses.get("422") or responses[422]
            assert "application/problem+json" in problem["content"], (method, path)


def test_the_openapi_document_bounds_offsets_and_ids(db):
    document = Client().get("/api/v1/openapi.json").json()
    courses = document["paths"]["/api/v1/courses"]["get"]["parameters"]
    offset = next(p for p in courses if p["name"] == "offset")["schema"]
    assert offset["maximum"] == 2**31 - 1
    course = document["paths"]["/api/v1/courses/{course_id}"]["get"]["parameters"][0]["schema"]
    assert (course["minimum"], course["maximum"]) == (1, 2**63 - 1)


def test_a_nul_character_in_a_body_is_a_problem_naming_the_field(cast, api_as):
    response = api_as(cast.admin).client.put(
        "/api/v1/kpis",
        '{"items": [{"rep_email": "a\\u0000b", "month": "2026-09", "calls": 1, "appointments": 0, "deals": 0, '
        '"revenue": 0}]}',
        content_type="application/json",
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", "items", 0, "rep_email"]


def test_a_lone_surrogate_in_a_body_is_a_problem(cast, api_as):
    body = {"id": str(uuid.uuid4()), "kind": "question", "text": "x"}
    raw = json.dumps(body)[:-1] + ', "industry": "\\udac0"}'
    response = api_as(cast.rep_a1).client.post("/api/v1/field-voice", raw, content_type="application/json")
    assert assert_problem(response, 422)["errors"][0]["loc"] == ["body", "industry"]


def test_a_nul_character_in_a_query_is_a_problem(cast, api_as):
    body = assert_problem(api_as(cast.admin).get("/community/questions", q="a\x00b"), 422)
    assert body["errors"][0]["loc"] == ["query", "q"]
