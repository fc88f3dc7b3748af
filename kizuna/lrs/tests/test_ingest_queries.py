"""The write path's cost: how many SQL queries storing statements takes, single and in batches, and that a batch
costs the same however many statements it carries (issue 15's speed targets depend on it). Savepoints are not
counted: the test's own transaction turns the request's BEGIN/COMMIT into them."""

import uuid
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.lrs.models import LrsActivity, LrsStatement, LrsStatementKey

ADL = "http://adlnet.gov/expapi/verbs/"


def tool_statement(n: int, *, activity: int | None = None) -> dict[str, Any]:
    """A statement as an authoring tool sends it: someone we do not know, an activity with a definition."""
    activity = n if activity is None else activity
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": f"Rep {n}", "mbox": f"mailto:rep{n}@agency.example"},
        "verb": {"id": ADL + "experienced", "display": {"en-US": "experienced"}},
        "object": {
            "id": f"https://tool.example/activities/{activity}",
            "definition": {"type": "http://adlnet.gov/expapi/activities/lesson", "name": {"en-US": f"L{activity}"}},
        },
        "context": {
            "registration": str(uuid.uuid4()),
            "contextActivities": {"parent": [{"id": "https://tool.example/courses/1"}]},
        },
        "result": {"success": True, "score": {"scaled": 0.5}},
    }


def counted_post(client: Any, body: Any) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/xapi/statements", body)
    sql = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    return response, sql


def test_storing_one_statement_about_someone_unknown_costs_five_queries(principal_lrs):
    principal_lrs.post("/xapi/statements", tool_statement(1, activity=7))
    response, sql = counted_post(principal_lrs, tool_statement(2, activity=7))
    assert response.status_code == 200, response.content
    # The credential (with the mirror's position and whether forwarders exist), the people the actor may be,
    # the row, its filter keys, the activity definitions it merges into.
    assert len(sql) <= 5, sql
    # A new activity adds its insert.
    response, sql = counted_post(principal_lrs, tool_statement(3, activity=8))
    assert response.status_code == 200
    assert len(sql) <= 6, sql


def test_a_batch_costs_the_same_queries_whether_it_carries_ten_statements_or_a_hundred(principal_lrs):
    principal_lrs.post("/xapi/statements", tool_statement(0))
    response, ten = counted_post(principal_lrs, [tool_statement(n) for n in range(1, 11)])
    assert response.status_code == 200 and len(response.json()) == 10
    response, hundred = counted_post(principal_lrs, [tool_statement(n) for n in range(11, 111)])
    assert response.status_code == 200 and len(response.json()) == 100
    assert len(hundred) == len(ten) <= 6, hundred
    assert LrsStatement.objects.count() == 111
    assert LrsActivity.objects.count() == 111  # each defined activity (the parent course has no definition)
    assert LrsStatementKey.objects.filter(kind="activity", related=True).count() == 111


def test_a_batch_sent_again_is_stored_once_and_a_changed_one_is_refused_whole(principal_lrs):
    batch = [tool_statement(n) for n in range(5)]
    first = principal_lrs.post("/xapi/statements", batch)
    again, sql = counted_post(principal_lrs, batch)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert LrsStatement.objects.count() == 5
    assert len(sql) <= 6, sql  # the repeated ids are read back once, not one by one
    changed = [tool_statement(n) for n in range(5, 8)] + [{**batch[2], "verb": {"id": ADL + "completed"}}]
    conflict = principal_lrs.post("/xapi/statements", changed)
    assert conflict.status_code == 409
    assert LrsStatement.objects.count() == 5  # nothing of the refused batch was kept


def test_statements_about_a_known_rep_look_the_lesson_up_once_per_batch(cast, article_course, principal_lrs):
    from kizuna.catalog.selectors import lesson_activity_data
    from kizuna.records.selectors import lesson_progress_for

    lesson = article_course.latest_version.lessons.order_by("position").first()
    iri = lesson_activity_data(lesson)["iri"]

    def progressed() -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "actor": {"mbox": f"mailto:{cast.rep_a1.email}"},
            "verb": {"id": ADL + "progressed"},
            "object": {"id": iri},
            "result": {"duration": "PT30S"},
        }

    principal_lrs.post("/xapi/statements", progressed())
    response, one = counted_post(principal_lrs, progressed())
    assert response.status_code == 200
    response, ten = counted_post(principal_lrs, [progressed() for _n in range(10)])
    assert response.status_code == 200
    response, thirty = counted_post(principal_lrs, [progressed() for _n in range(30)])
    assert response.status_code == 200
    # The lesson, the rep's access to it and our own statement ids: once per batch, not per statement.
    for sql in (ten, thirty):
        assert sum('FROM "catalog_publishedlesson"' in q for q in sql) <= sum(
            'FROM "catalog_publishedlesson"' in q for q in one
        )
    # What grows with the batch is the records app's write of each statement and its projections.
    per_statement = (len(thirty) - len(ten)) / 20
    assert len(one) - per_statement <= 12, (len(one), per_statement)
    progress = lesson_progress_for(user=cast.rep_a1, lesson=lesson)
    assert progress is not None and progress.time_spent_seconds == 42 * 30
