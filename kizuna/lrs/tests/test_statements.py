"""The Statements resource: storing (validated, once, with authority), voiding, the filtered query with paging,
the formats, and what a partner-scoped credential may read and write."""

import uuid
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client

from kizuna.lrs.models import LrsStatement

ADL = "http://adlnet.gov/expapi/verbs/"


def a_statement(**changes: Any) -> dict[str, Any]:
    st = {
        "actor": {"objectType": "Agent", "name": "Ext", "mbox": "mailto:ext@example.com"},
        "verb": {"id": ADL + "experienced", "display": {"en-US": "experienced", "ja-JP": "体験した"}},
        "object": {"id": "http://example.com/activities/1", "definition": {"name": {"en-US": "One"}}},
    }
    st.update(changes)
    return st


def test_it_stores_a_statement_with_the_credentials_authority_and_returns_it(principal_lrs):
    response = principal_lrs.post("/xapi/statements", a_statement())
    assert response.status_code == 200
    [sid] = response.json()
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert response["X-Experience-API-Consistent-Through"]
    got = principal_lrs.get("/xapi/statements", {"statementId": sid})
    assert got.status_code == 200
    data = got.json()
    assert data["id"] == sid and data["version"] == "1.0.0" and data["stored"] and data["timestamp"]
    assert data["authority"]["name"] == "company LRS"
    assert data["authority"]["account"]["name"].startswith("kzl_")


def test_it_refuses_nulls_bad_ids_and_unknown_properties_with_400_and_stores_nothing(principal_lrs):
    bad = [
        a_statement(result=None),
        a_statement(id="not-a-uuid"),
        a_statement(verb={"id": "experienced"}),
        a_statement(actor={"mbox": "ext@example.com"}),
        a_statement(colour="blue"),
        [a_statement(), a_statement(result={"score": {"scaled": 2}})],
        a_statement(timestamp="yesterday"),
    ]
    for body in bad:
        assert principal_lrs.post("/xapi/statements", body).status_code == 400, body
    assert not LrsStatement.objects.exists()


def test_it_asks_for_credentials_and_the_version_header(principal_lrs):
    assert Client().get("/xapi/statements").status_code == 401
    assert Client().get("/xapi/statements")["WWW-Authenticate"].startswith("Basic")
    principal_lrs.version = "0.9"
    assert principal_lrs.get("/xapi/statements").status_code == 400


def test_a_repeated_id_is_accepted_once_and_a_different_statement_with_it_is_a_conflict(principal_lrs):
    sid = str(uuid.uuid4())
    assert principal_lrs.put(f"/xapi/statements?statementId={sid}", a_statement()).status_code == 204
    assert principal_lrs.put(f"/xapi/statements?statementId={sid}", a_statement()).status_code == 204
    assert principal_lrs.post("/xapi/statements", a_statement(id=sid)).status_code == 200
    changed = a_statement(id=sid, verb={"id": ADL + "completed"})
    assert principal_lrs.post("/xapi/statements", changed).status_code == 409
    assert LrsStatement.objects.count() == 1
    other = str(uuid.uuid4())
    assert principal_lrs.put(f"/xapi/statements?statementId={other}", a_statement(id=sid)).status_code == 400


def test_a_voided_statement_is_only_read_by_voided_statement_id(principal_lrs):
    [target] = principal_lrs.post("/xapi/statements", a_statement()).json()
    void = a_statement(verb={"id": ADL + "voided"}, object={"objectType": "StatementRef", "id": target})
    [voiding] = principal_lrs.post("/xapi/statements", void).json()
    assert principal_lrs.get("/xapi/statements", {"statementId": target}).status_code == 404
    assert principal_lrs.get("/xapi/statements", {"voidedStatementId": target}).json()["id"] == target
    ids = [s["id"] for s in principal_lrs.get("/xapi/statements").json()["statements"]]
    assert ids == [voiding]
    # A voiding statement cannot itself be voided.
    again = a_statement(verb={"id": ADL + "voided"}, object={"objectType": "StatementRef", "id": voiding})
    assert principal_lrs.post("/xapi/statements", again).status_code == 400


def test_the_query_filters_and_pages_with_more(principal_lrs):
    registration = str(uuid.uuid4())
    parent = {"contextActivities": {"parent": {"id": "http://example.com/course"}}}
    principal_lrs.post(
        "/xapi/statements",
        [a_statement(object={"id": f"http://example.com/activities/{i}"}) for i in range(5)]
        + [a_statement(context={**parent, "registration": registration})],
    )
    everything = principal_lrs.get("/xapi/statements").json()["statements"]
    assert len(everything) == 6
    # Context activities are returned as arrays, even when one was sent alone.
    assert everything[0]["context"]["contextActivities"]["parent"] == [{"id": "http://example.com/course"}]
    by_activity = principal_lrs.get("/xapi/statements", {"activity": "http://example.com/course"}).json()
    assert by_activity["statements"] == []
    related = principal_lrs.get(
        "/xapi/statements", {"activity": "http://example.com/course", "related_activities": "true"}
    ).json()
    assert len(related["statements"]) == 1
    assert len(principal_lrs.get("/xapi/statements", {"registration": registration}).json()["statements"]) == 1
    assert principal_lrs.get("/xapi/statements", {"verb": ADL + "completed"}).json()["statements"] == []
    agent = '{"mbox": "mailto:ext@example.com"}'
    assert len(principal_lrs.get("/xapi/statements", {"agent": agent}).json()["statements"]) == 6
    first = principal_lrs.get("/xapi/statements", {"limit": 4, "ascending": "true"}).json()
    assert len(first["statements"]) == 4 and first["more"].startswith("/xapi/statements?more=")
    rest = principal_lrs.get(first["more"]).json()
    assert rest["more"] == ""
    seen = [s["id"] for s in first["statements"] + rest["statements"]]
    assert seen == [s["id"] for s in reversed(everything)]
    for bad in ({"agent": "nope"}, {"limit": "-1"}, {"format": "short"}, {"since": "today"}, {"colour": "1"}):
        response = principal_lrs.get("/xapi/statements", bad)
        assert response.status_code == 400, bad
        assert response["X-Experience-API-Consistent-Through"]


def test_the_ids_and_canonical_formats_shrink_the_statement(principal_lrs):
    [sid] = principal_lrs.post("/xapi/statements", a_statement()).json()
    ids = principal_lrs.get("/xapi/statements", {"statementId": sid, "format": "ids"}).json()
    assert ids["actor"] == {"objectType": "Agent", "mbox": "mailto:ext@example.com"}
    assert ids["verb"] == {"id": ADL + "experienced"} and ids["object"] == {"id": "http://example.com/activities/1"}
    canonical = principal_lrs.get(
        "/xapi/statements", {"statementId": sid, "format": "canonical"}, **{"Accept-Language": "ja-JP"}
    ).json()
    assert canonical["verb"]["display"] == {"ja-JP": "体験した"}


def test_a_partner_credential_reads_and_writes_only_its_partners_statements(
    cast, principal_lrs, partner_a_lrs, partner_b_lrs
):
    [a_id] = partner_a_lrs.post("/xapi/statements", a_statement()).json()
    assert LrsStatement.objects.get().partner == cast.partner_a
    assert partner_b_lrs.get("/xapi/statements", {"statementId": a_id}).status_code == 404
    assert partner_b_lrs.get("/xapi/statements").json()["statements"] == []
    assert partner_a_lrs.get("/xapi/statements", {"statementId": a_id}).status_code == 200
    assert principal_lrs.get("/xapi/statements", {"statementId": a_id}).status_code == 200
    # B may not reuse A's id, nor void A's statement, nor write about A's people.
    assert partner_b_lrs.post("/xapi/statements", a_statement(id=a_id)).status_code == 409
    void = a_statement(verb={"id": ADL + "voided"}, object={"objectType": "StatementRef", "id": a_id})
    assert partner_b_lrs.post("/xapi/statements", void).status_code == 200
    assert partner_a_lrs.get("/xapi/statements", {"statementId": a_id}).status_code == 200
    about_a = a_statement(actor={"mbox": f"mailto:{cast.rep_a1.email}"})
    assert partner_b_lrs.post("/xapi/statements", about_a).status_code == 403
    assert partner_a_lrs.post("/xapi/statements", about_a).status_code == 200


@pytest.mark.parametrize("how", ["mbox", "account"])
def test_a_completion_from_outside_about_a_known_rep_and_lesson_feeds_the_projections(
    cast, article_course, principal_lrs, settings, how
):
    from kizuna.catalog.selectors import lesson_activity_data
    from kizuna.records.selectors import course_progress_for, lesson_progress_for

    lesson = article_course.latest_version.lessons.order_by("position").first()
    iri = lesson_activity_data(lesson)["iri"]
    actor = (
        {"mbox": f"mailto:{cast.rep_a1.email}"}
        if how == "mbox"
        else {"account": {"homePage": settings.SITE_URL, "name": str(cast.rep_a1.public_id)}}
    )
    response = principal_lrs.post(
        "/xapi/statements", a_statement(actor=actor, verb={"id": ADL + "completed"}, object={"id": iri})
    )
    assert response.status_code == 200
    progress = lesson_progress_for(user=cast.rep_a1, lesson=lesson)
    assert progress is not None and progress.completed_at is not None
    assert course_progress_for(user=cast.rep_a1, course_id=article_course.pk).lessons_completed == 1
    assert LrsStatement.objects.get().partner == cast.partner_a
    # Statements about unknown people or activities are only stored.
    principal_lrs.post("/xapi/statements", a_statement(verb={"id": ADL + "completed"}, object={"id": iri}))
    assert LrsStatement.objects.count() == 2


def test_the_alternate_request_syntax_puts_a_statement(principal_lrs):
    import json

    sid = str(uuid.uuid4())
    form = {
        "statementId": sid,
        "content": json.dumps(a_statement()),
        "X-Experience-API-Version": "1.0.3",
        "Authorization": principal_lrs.auth,
        "Content-Type": "application/json",
    }
    from urllib.parse import urlencode

    response = Client().post(
        "/xapi/statements?method=PUT", urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 204, response.content
    assert principal_lrs.get("/xapi/statements", {"statementId": sid}).status_code == 200


def test_statements_referring_to_matches_come_in_order_with_them_across_more_pages(principal_lrs):
    activity = "http://example.com/activities/referred"
    ids = []
    for i in range(3):
        [sid] = principal_lrs.post("/xapi/statements", a_statement(object={"id": activity})).json()
        ids.append(sid)
        principal_lrs.post("/xapi/statements", a_statement(object={"id": f"http://example.com/other/{i}"}))
        ref = a_statement(verb={"id": ADL + "experienced"}, object={"objectType": "StatementRef", "id": sid})
        ids += principal_lrs.post("/xapi/statements", ref).json()
    seen, params = [], {"activity": activity, "limit": 2, "ascending": "true"}
    while True:
        page = principal_lrs.get("/xapi/statements", params).json()
        assert len(page["statements"]) <= 2
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        params = {"more": unquote(page["more"].split("more=", 1)[1])}
    assert seen == ids  # each match followed by the statement that refers to it, nothing else, none twice
