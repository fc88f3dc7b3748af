"""The statement queries a request makes read one or two months' partitions on PostgreSQL, however many there are.

Each query is taken as the code sends it (captured), then run under EXPLAIN (ANALYZE, FORMAT JSON): a partition
counts as read when its scan ran at least once, so pruning when planning (bounds known) and when running (a
stored moment read from the key table first) both count.
"""

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kizuna.agreements.learning_time import _rows_of_day
from kizuna.records import partitions, vocab
from kizuna.records.models import PendingStatement, Statement
from kizuna.records.projector import _queued_statements
from kizuna.records.selectors import (
    statement_by_id,
    statement_ids_stored,
    statement_owner_id,
    statements_after,
    statements_visible_to,
)
from kizuna.records.services import Activity, _insert_once, statement_record

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="partitions are PostgreSQL's (declarative partitioning); SQLite keeps one plain statements table",
)

ARTICLE = vocab.Term("activity-types/test-article", "記事", "article", own=True)
MONTHS_BACK = 14


def _months_ago(n: int) -> datetime:
    now = timezone.now()
    return (now.replace(day=15, hour=3) - timedelta(days=30 * n)).replace(day=15)


def _insert_at(actor: Any, stored: datetime) -> Statement:
    st = Statement(
        id=uuid.uuid4(),
        actor=actor,
        partner_id=actor.membership.organization_id,
        verb=vocab.EXPERIENCED.iri,
        object_iri="urn:test:article",
        object_type=ARTICLE.iri,
        object_name={"ja": "記事"},
        context={},
        duration_seconds=30,
        timestamp=stored,
        stored=stored,
    )
    with mock.patch("django.utils.timezone.now", return_value=stored):
        assert _insert_once(st)
    return st


@pytest.fixture
def months(cast):
    """A year and more of months, each with statements of two reps, and today's."""
    partitions.partitions_ensure(since=_months_ago(MONTHS_BACK).date())
    for n in range(MONTHS_BACK, 0, -1):
        for rep in (cast.rep_a1, cast.rep_b1):
            _insert_at(rep, _months_ago(n))
    with connection.cursor() as cur:
        cur.execute("ANALYZE records_statement")
    return cast


def _partitions_read(plan: Any) -> set[str]:
    read = set()
    stack = [plan]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            name = node.get("Relation Name", "")
            if name.startswith(partitions.TABLE + "_") and node.get("Actual Loops", 0) > 0:
                read.add(name)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return read


def _reads(call: Callable[[], Any]) -> list[set[str]]:
    """The partitions read by each statements query `call` makes (EXPLAIN ANALYZE of each as it was sent)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    sqls = [q["sql"] for q in captured.captured_queries if partitions.TABLE + '"' in q["sql"]]
    sqls = [sql for sql in sqls if sql.lstrip().upper().startswith("SELECT")]
    assert sqls, "the call made no query of the statements"
    found = []
    for sql in sqls:
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            raw = cur.fetchone()[0]
        found.append(_partitions_read(raw if isinstance(raw, list) else json.loads(raw)))
    return found


def _at_most_two(reads: list[set[str]]) -> None:
    assert all(len(read) <= 2 for read in reads), reads
    assert all(partitions.DEFAULT not in read for read in reads), reads


def test_there_are_many_months_to_prune(months):
    assert len(partitions.partitions_list()) > MONTHS_BACK + 3


def test_a_lookup_by_id_reads_the_one_month_its_key_names(months):
    old = Statement.objects.filter(actor=months.rep_a1).order_by("seq").first()
    reads = _reads(lambda: statement_owner_id(old.id))
    assert reads == [{partitions.partition_name(old.stored.astimezone(timezone.get_current_timezone()).date())}]
    assert statement_owner_id(old.id) == months.rep_a1.pk
    assert statement_by_id(old.id).seq == old.seq
    assert _reads(lambda: statement_owner_id(uuid.uuid4())) == [set()]


def test_which_ids_are_stored_is_answered_by_the_key_table_alone(months):
    old = Statement.objects.filter(actor=months.rep_a1).first()
    with CaptureQueriesContext(connection) as captured:
        assert statement_ids_stored([old.id, uuid.uuid4()]) == {old.id}
    assert all(partitions.TABLE + '"' not in q["sql"] for q in captured.captured_queries)


def test_a_repeated_statement_is_found_in_its_month(months):
    kwargs = {
        "actor": months.rep_a1,
        "verb": vocab.EXPERIENCED,
        "activity": Activity(iri="urn:test:a", type=ARTICLE, name={}),
        "statement_id": uuid.uuid4(),
    }
    first, created = statement_record(**kwargs)
    assert created
    reads = _reads(lambda: statement_record(**kwargs))
    _at_most_two(reads)
    assert statement_record(**kwargs) == (first, False)


def test_the_projector_reads_the_months_its_batch_was_stored_in(months, settings):
    settings.PROJECTIONS_EAGER = False
    statement_record(
        actor=months.rep_a1, verb=vocab.EXPERIENCED, activity=Activity(iri="urn:test:a", type=ARTICLE, name={})
    )
    queued = list(PendingStatement.objects.order_by("seq").values_list("seq", "stored"))
    assert queued and None not in {stored for _seq, stored in queued}
    reads = _reads(lambda: list(_queued_statements(queued)))
    _at_most_two(reads)


def test_the_lrs_mirror_reads_from_the_month_it_is_copied_through(months):
    through = timezone.now() - timedelta(hours=1)
    reads = _reads(lambda: statements_after(seq=0, limit=100, stored_since=through))
    _at_most_two(reads)


def test_a_reps_day_of_learning_time_reads_the_months_since_that_day(months):
    day = (timezone.now() - timedelta(days=1)).astimezone(timezone.get_current_timezone()).date()
    reads = _reads(lambda: _rows_of_day(months.rep_a1.pk, day))
    _at_most_two(reads)


def test_a_reps_last_30_days_of_statements_read_two_months_at_most(months):
    since = timezone.now() - timedelta(days=30)
    reads = _reads(lambda: list(statements_visible_to(months.rep_a1, since=since)[:50]))
    _at_most_two(reads)


def test_the_bounds_cut_no_statement(months):
    """The same answers as without bounds: a late statement (stored days after it happened) is still read."""
    now = timezone.now()
    late = Statement(
        id=uuid.uuid4(),
        actor=months.rep_a1,
        partner_id=months.rep_a1.membership.organization_id,
        verb=vocab.EXPERIENCED.iri,
        object_iri="urn:test:article",
        object_type=ARTICLE.iri,
        context={},
        duration_seconds=30,
        timestamp=now - timedelta(days=3),
        stored=now,
    )
    assert _insert_once(late)
    day = late.timestamp.astimezone(timezone.get_current_timezone()).date()
    assert [row[0] for row in _rows_of_day(months.rep_a1.pk, day)] == [late.timestamp]
    assert [st.seq for st in statements_after(seq=late.seq - 1, limit=5, stored_since=now - timedelta(hours=2))] == [
        late.seq
    ]
