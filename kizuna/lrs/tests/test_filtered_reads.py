"""Filtered statement reads by agent or activity with a verb: the verb is in the key rows, so the page is read
from one index range in stored order and stops after a page (flat as an agent's statements grow). The results
are the same as the plain filter's, with `more` paging, duplicates (an agent named twice) and related agents."""

import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.lrs import statements
from kizuna.lrs.models import LrsCredential, LrsStatementKey
from kizuna.lrs.statements import parse_query, statements_query

ADL = "http://adlnet.gov/expapi/verbs/"
ANNA = {"objectType": "Agent", "mbox": "mailto:anna@agency.example"}
BEN = {"objectType": "Agent", "mbox": "mailto:ben@agency.example"}


def st(verb: str, *, actor: dict[str, Any] = ANNA, obj: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": ADL + verb},
        "object": obj or {"id": "https://tool.example/activities/1"},
        **extra,
    }


def ids_of(lrs: Any, params: dict[str, str]) -> list[str]:
    """Every statement id the query returns, following `more` links."""
    found: list[str] = []
    response = lrs.get("/xapi/statements", params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        found += [s["id"] for s in body["statements"]]
        if not body.get("more"):
            return found
        response = lrs.get("/xapi/statements", {k: v[0] for k, v in parse_qs(urlsplit(body["more"]).query).items()})


def test_the_verb_is_stored_in_every_key_row(principal_lrs):
    statement = st("passed", context={"instructor": BEN, "contextActivities": {"parent": [{"id": "https://c/1"}]}})
    assert principal_lrs.post("/xapi/statements", statement).status_code == 200
    keys = LrsStatementKey.objects.all()
    assert keys.count() == 5  # actor, object, instructor, parent, authority
    assert set(keys.values_list("verb", flat=True)) == {ADL + "passed"}


def test_agent_and_verb_pages_give_exactly_the_matching_statements(principal_lrs):
    wanted = []
    batch = []
    for n in range(23):
        verb = "passed" if n % 3 == 0 else "failed"
        s = st(verb, obj=ANNA if n == 6 else None)  # statement 6 names Anna twice (actor and object)
        batch.append(s)
        if verb == "passed":
            wanted.append(s["id"])
    batch.append(st("passed", actor=BEN))  # someone else
    batch.append(st("passed", actor=BEN, context={"instructor": ANNA}))  # Anna only as a related agent
    assert principal_lrs.post("/xapi/statements", batch).status_code == 200
    agent = '{"mbox": "mailto:anna@agency.example"}'
    got = ids_of(principal_lrs, {"agent": agent, "verb": ADL + "passed", "limit": "2"})
    assert got == list(reversed(wanted))  # newest first, each once, across pages of two
    got = ids_of(principal_lrs, {"agent": agent, "verb": ADL + "passed", "limit": "3", "ascending": "true"})
    assert got == wanted
    related = ids_of(principal_lrs, {"agent": agent, "verb": ADL + "passed", "related_agents": "true", "limit": "4"})
    assert related == [batch[-1]["id"], *reversed(wanted)]
    by_activity = ids_of(
        principal_lrs, {"activity": "https://tool.example/activities/1", "verb": ADL + "failed", "limit": "5"}
    )
    assert len(by_activity) == 23 - len(wanted)
    both = ids_of(
        principal_lrs,
        {"agent": agent, "activity": "https://tool.example/activities/1", "verb": ADL + "passed", "limit": "2"},
    )
    assert both == [i for i in reversed(wanted) if i != batch[6]["id"]]


def test_a_statement_voided_later_leaves_the_verb_filter(principal_lrs):
    target = st("passed")
    assert principal_lrs.post("/xapi/statements", target).status_code == 200
    voiding = st("voided", obj={"objectType": "StatementRef", "id": target["id"]}, actor=BEN)
    voiding["verb"] = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    assert principal_lrs.post("/xapi/statements", voiding).status_code == 200
    agent = '{"mbox": "mailto:anna@agency.example"}'
    # The voided one is gone; the voiding statement (which refers to it) is what the query returns.
    assert ids_of(principal_lrs, {"agent": agent, "verb": ADL + "passed"}) == [voiding["id"]]


def _query(params: dict[str, str], after: int | None = None) -> tuple[list[str], Any]:
    credential = LrsCredential.objects.get(partner__isnull=True)
    with CaptureQueriesContext(connection) as captured:
        statements_query(credential=credential, query=parse_query(params), after=after)
    return [q["sql"] for q in captured.captured_queries], credential


def test_a_filtered_page_costs_two_queries(principal_lrs):
    principal_lrs.post("/xapi/statements", [st("passed") for _n in range(30)])
    agent = '{"mbox": "mailto:anna@agency.example"}'
    sql, _credential = _query({"agent": agent, "verb": ADL + "passed", "limit": "10"})
    assert len(sql) == 2, sql  # the page along the key rows, and the statements that refer to a match


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_agent_and_verb_read_the_verb_index_in_order_without_sorting(principal_lrs):
    """The plan is an index range on (kind, key, verb, statement) read in order, under a LIMIT: no sort of all
    the agent's rows, no hash of them, whatever their number; a `more` page starts the range at its position."""
    principal_lrs.post("/xapi/statements", [st("passed" if n % 2 else "failed") for n in range(60)])
    agent = '{"mbox": "mailto:anna@agency.example"}'
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for after in (None, 10**12):
        sql, _credential = _query({"agent": agent, "verb": ADL + "passed", "limit": "10"}, after=after)
        # A test table is tiny, so the planner would read it whole, or walk any index and test each row, as
        # cheaply: judge the plan a big store gets, where only a nested loop along the verb index stops after a
        # page. The key table's other indexes are hidden for the EXPLAIN (dropped in a savepoint rolled back), and
        # with sorting discouraged too, a Sort would appear only if the verb index did not give the order.
        settings = ("enable_seqscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin", "enable_sort")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname <> %s AND indexname NOT LIKE %s",
                [LrsStatementKey._meta.db_table, "lrs_key_kind_key_verb_idx", "%_pkey"],
            )
            others = [row[0] for row in cursor.fetchall()]
            cursor.execute("SAVEPOINT plan_check")
            for name in settings:
                cursor.execute(f"SET LOCAL {name} = off")
            try:
                for index in others:
                    cursor.execute(f'DROP INDEX "{index}"')
                cursor.execute("EXPLAIN " + sql[0])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            finally:
                cursor.execute("ROLLBACK TO SAVEPOINT plan_check")
        assert "lrs_key_kind_key_verb_idx" in plan, plan
        assert "Limit" in plan.splitlines()[0], plan
        assert "Sort" not in plan and "Hash" not in plan and "Nested Loop" in plan, plan
        if after is not None:
            assert "statement_id <" in plan, plan  # the position bound is on the key rows' index range


def _ref(target: dict[str, Any], *, actor: dict[str, Any] = BEN) -> dict[str, Any]:
    return st("experienced", actor=actor, obj={"objectType": "StatementRef", "id": target["id"]})


def test_statements_referring_to_matches_come_in_their_place_among_many_other_references(principal_lrs):
    """Anna's `passed` statements, statements referring to some of them, and many references to Ben's: every
    page has exactly the matches and the references to them, in stored order, each once."""
    bens = [st("passed", actor=BEN) for _n in range(3)]
    principal_lrs.post("/xapi/statements", bens)
    order: list[str] = []
    batch: list[dict[str, Any]] = []
    for n in range(12):
        anna = st("passed")
        batch.append(anna)
        order.append(anna["id"])
        batch += [_ref(bens[n % 3]) for _m in range(4)]  # references to someone else's statements
        if n % 4 == 1:
            ref = _ref(anna)
            batch.append(ref)
            order.append(ref["id"])
    old_ref = _ref(batch[0])  # a late reference to Anna's first statement: it comes at its own place
    batch.append(old_ref)
    order.append(old_ref["id"])
    assert principal_lrs.post("/xapi/statements", batch).status_code == 200
    agent = '{"mbox": "mailto:anna@agency.example"}'
    for limit in ("1", "2", "5", "100"):
        assert ids_of(principal_lrs, {"agent": agent, "verb": ADL + "passed", "limit": limit}) == order[::-1]
        ascending = {"agent": agent, "verb": ADL + "passed", "limit": limit, "ascending": "true"}
        assert ids_of(principal_lrs, ascending) == order


def test_with_a_full_page_of_matches_the_references_are_read_only_up_to_its_end(principal_lrs):
    principal_lrs.post("/xapi/statements", [st("passed") for _n in range(5)])
    agent = '{"mbox": "mailto:anna@agency.example"}'
    sql, _credential = _query({"agent": agent, "verb": ADL + "passed", "limit": "3"})
    # Four matches were read (a page and one more): the references are read from the fourth's position on.
    seqs = sorted(LrsStatementKey.objects.filter(kind="agent", related=False).values_list("statement_id", flat=True))
    assert f"{seqs[1]}" in sql[1].split("refers_to")[-1], sql[1]
    sql, _credential = _query({"agent": agent, "verb": ADL + "passed", "limit": "10"})
    assert f">= {seqs[0]}" not in sql[1], sql[1]  # a short page bounds nothing


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_references_are_walked_along_their_own_index_under_a_limit(principal_lrs):
    """The statements that refer to a match are read along the index of statements with a StatementRef, in
    order, each one's target found by its id: not the whole store, nor every match of the filter."""
    target = st("passed")
    principal_lrs.post("/xapi/statements", [target, *[st("passed") for _n in range(20)], _ref(target)])
    principal_lrs.post("/xapi/statements", [st("experienced", actor=BEN) for _n in range(40)])
    agent = '{"mbox": "mailto:anna@agency.example"}'
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sql, _credential = _query({"agent": agent, "verb": ADL + "passed", "limit": "10"})
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT plan_check")
        for name in ("enable_seqscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin", "enable_sort"):
            cursor.execute(f"SET LOCAL {name} = off")
        try:
            cursor.execute("EXPLAIN " + sql[1])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("ROLLBACK TO SAVEPOINT plan_check")
    assert "Limit" in plan.splitlines()[0], plan
    assert "lrs_statement_refs_idx" in plan, plan
    assert "Sort" not in plan and "Hash" not in plan, plan


@pytest.mark.parametrize("most_verbs", [40, 2], ids=["merged", "too-many-verbs"])
def test_agent_or_activity_without_a_verb_pages_across_every_verb(principal_lrs, monkeypatch, most_verbs):
    """Without a verb the page is read along each verb's range of the key index and merged: the statements come
    exactly once each, in stored order, across pages, whatever verb they have; with related agents too. With more
    verbs than it merges, the page is read as one sorted range: the same statements."""
    monkeypatch.setattr(statements, "_MAX_VERB_RANGES", most_verbs)
    verbs = ["passed", "failed", "experienced", "answered", "completed"]
    batch = []
    for n in range(31):
        batch.append(st(verbs[(n * n) % len(verbs)], obj=ANNA if n == 9 else None))  # 9 names Anna twice
        if n % 6 == 0:
            batch.append(st("attempted", actor=BEN))  # someone else, in between
    batch.append(st("launched", actor=BEN, context={"instructor": ANNA}))  # Anna as a related agent only
    assert principal_lrs.post("/xapi/statements", batch).status_code == 200
    annas = [s["id"] for s in batch if s["actor"] == ANNA]
    agent = '{"mbox": "mailto:anna@agency.example"}'
    for limit in ("1", "4", "7", "100"):
        assert ids_of(principal_lrs, {"agent": agent, "limit": limit}) == annas[::-1]
        assert ids_of(principal_lrs, {"agent": agent, "limit": limit, "ascending": "true"}) == annas
        related = ids_of(principal_lrs, {"agent": agent, "limit": limit, "related_agents": "true"})
        assert related == [batch[-1]["id"], *annas[::-1]]
    activity = "https://tool.example/activities/1"
    everyone = [s["id"] for s in batch if s["object"] == {"id": activity}]
    assert ids_of(principal_lrs, {"activity": activity, "limit": "6"}) == everyone[::-1]
    assert ids_of(principal_lrs, {"agent": '{"mbox": "mailto:nobody@agency.example"}'}) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_agent_without_a_verb_merges_one_ordered_range_per_verb(principal_lrs):
    """The verbs are found by skipping along the index (one query), then the page is a merge of one index range
    per verb, each under its own LIMIT: no sort of all the agent's rows, however many."""
    verbs = ["passed", "failed", "experienced"]
    principal_lrs.post("/xapi/statements", [st(verbs[n % 3]) for n in range(60)])
    agent = '{"mbox": "mailto:anna@agency.example"}'
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sql, _credential = _query({"agent": agent, "limit": "10"})
    assert len(sql) == 3, sql  # the verbs, the page, the statements that refer to a match
    assert sql[0].startswith("WITH RECURSIVE"), sql[0]
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT plan_check")
        for name in ("enable_seqscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin"):
            cursor.execute(f"SET LOCAL {name} = off")
        try:
            # A test table is tiny: the planner may as well walk the key rows by statement and test each one.
            # The plan a big store gets is judged with that index hidden (dropped in the savepoint rolled back).
            cursor.execute(f'DROP INDEX "{_statement_index()}"')
            cursor.execute("EXPLAIN " + sql[1])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("ROLLBACK TO SAVEPOINT plan_check")
    assert "Limit" in plan.splitlines()[0], plan
    assert plan.count("lrs_key_kind_key_verb_idx") == 3, plan  # one range per verb
    assert plan.count("Limit") == 4, plan  # the page's, and one per range


def _statement_index() -> str:
    """The name of the key rows' index on their statement (the foreign key's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [LrsStatementKey._meta.db_table, "%(statement_id)"],
        )
        return cursor.fetchone()[0]
