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


def test_statements_about_a_known_rep_cost_the_same_queries_for_ten_or_thirty(
    cast, article_course, principal_lrs, settings
):
    """A batch of launches and time reports about our reps is stored by records.batch: the lesson and the rep's
    access to it once per batch, the records rows, their projections and the projector's queue in one query each,
    whatever the batch's size (the projector applies the rest later, as for our own statements)."""
    from kizuna.catalog.selectors import lesson_activity_data
    from kizuna.records.models import PendingStatement
    from kizuna.records.selectors import lesson_progress_for

    settings.PROJECTIONS_EAGER = False
    lesson = article_course.latest_version.lessons.order_by("position").first()
    iri = lesson_activity_data(lesson)["iri"]

    def progressed(verb: str = "progressed") -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "actor": {"mbox": f"mailto:{cast.rep_a1.email}"},
            "verb": {"id": ADL + verb},
            "object": {"id": iri},
            "result": {"duration": "PT30S"},
        }

    principal_lrs.post("/xapi/statements", progressed())
    response, one = counted_post(principal_lrs, progressed())
    assert response.status_code == 200
    response, ten = counted_post(principal_lrs, [progressed() for _n in range(9)] + [progressed("launched")])
    assert response.status_code == 200
    response, thirty = counted_post(principal_lrs, [progressed() for _n in range(29)] + [progressed("launched")])
    assert response.status_code == 200
    assert len(ten) == len(thirty), (ten, thirty)
    # The credential, the people, the LRS's rows, keys and definitions (5); the lesson, the rep's access to it,
    # our own statement ids; the records rows, the rep's lesson and course rows read (locked) and written, and
    # the projector's queue.
    assert len(one) <= 19, one
    assert len(thirty) <= 20, thirty
    progress = lesson_progress_for(user=cast.rep_a1, lesson=lesson)
    assert progress is not None and progress.time_spent_seconds == 40 * 30
    assert PendingStatement.objects.count() == 42


def test_the_actors_people_come_with_their_membership_and_organization_in_one_query(cast):
    from django.contrib.auth import get_user_model

    from kizuna.lrs.people import partner_id_of, people_for_agents

    get_user_model().objects.filter(pk=cast.rep_a1.pk).update(email=cast.rep_a1.email.lower())
    agents = [
        {"mbox": f"mailto:{cast.rep_a1.email.upper()}"},
        {"mbox": "mailto:nobody@agency.example"},
        {"objectType": "Group", "mbox": f"mailto:{cast.rep_a1.email}"},
    ]
    with CaptureQueriesContext(connection) as captured:
        found = people_for_agents(agents)
        partner = partner_id_of(found[0])
        role = found[0].membership.role
    assert len(captured.captured_queries) == 1, captured.captured_queries
    assert found[0] == cast.rep_a1 and found[1] is None and found[2] is None
    assert partner == cast.rep_a1.membership.organization_id and role == cast.rep_a1.membership.role
    assert found[0].membership.organization == cast.rep_a1.membership.organization


def test_a_batch_is_inserted_by_the_same_statements_whatever_its_size(principal_lrs):
    """On PostgreSQL the rows, their keys and the definitions travel as arrays: the SQL text does not grow with the
    batch (PostgreSQL prepares it once per connection), and one statement's CPU is not spent quoting values."""
    principal_lrs.post("/xapi/statements", [tool_statement(n, activity=n % 3) for n in range(3)])
    response, ten = counted_post(principal_lrs, [tool_statement(n, activity=n % 3) for n in range(3, 13)])
    assert response.status_code == 200
    response, hundred = counted_post(principal_lrs, [tool_statement(n, activity=n % 3) for n in range(13, 113)])
    assert response.status_code == 200
    assert len(ten) == len(hundred) <= 5, hundred
    if connection.vendor == "postgresql":
        inserts = [q for q in hundred if q.startswith("INSERT")]
        assert len(inserts) == 2 and all("unnest" in q for q in inserts), inserts
        assert [q for q in ten if q.startswith("INSERT")] == inserts
    assert LrsStatement.objects.count() == 113
    assert LrsActivity.objects.count() == 3


def test_a_definition_that_changes_is_merged_into_the_stored_one(principal_lrs):
    first = tool_statement(1, activity=5)
    principal_lrs.post("/xapi/statements", first)
    changed = tool_statement(2, activity=5)
    changed["object"]["definition"] = {"name": {"ja-JP": "レッスン5"}, "description": {"en-US": "Five"}}
    response = principal_lrs.post("/xapi/statements", [changed, tool_statement(3, activity=5)])
    assert response.status_code == 200
    definition = LrsActivity.objects.get(activity_id="https://tool.example/activities/5").definition
    assert definition == {
        "type": "http://adlnet.gov/expapi/activities/lesson",
        "name": {"en-US": "L5", "ja-JP": "レッスン5"},
        "description": {"en-US": "Five"},
    }
