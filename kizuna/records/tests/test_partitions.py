"""Statements by month on PostgreSQL: each in its month's partition, an id stored once across them all, months
made ahead by a job, old months archived to storage and restored, and rebuilds by partner or month."""

import threading
import uuid
from datetime import UTC, date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction

from kizuna.ops.schedule import registered_jobs
from kizuna.ops.storage import stored_exists
from kizuna.records import partitions, vocab
from kizuna.records.models import LearningDay, Statement, StatementKey
from kizuna.records.projections import rebuild_all, rebuild_month
from kizuna.records.services import Activity, StatementError, _insert_once, statement_record

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="partitions are PostgreSQL's (declarative partitioning); SQLite keeps one plain statements table",
)

ARTICLE = vocab.Term("activity-types/test-article", "記事", "article", own=True)


def _statement(actor, *, stored: datetime, statement_id: uuid.UUID | None = None) -> Statement:
    return Statement(
        id=statement_id or uuid.uuid4(),
        actor=actor,
        verb=vocab.EXPERIENCED.iri,
        object_iri="urn:test:article",
        object_type=ARTICLE.iri,
        object_name={"ja": "記事"},
        context={},
        timestamp=stored,
        stored=stored,
    )


def _insert_at(st: Statement) -> bool:
    # `stored` is the server's clock when it stores (auto_now_add): set that clock to the statement's month.
    with mock.patch("django.utils.timezone.now", return_value=st.stored):
        return _insert_once(st)


def _partition_of(st: Statement) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT tableoid::regclass::text FROM records_statement WHERE seq = %s", [st.seq])
        return cur.fetchone()[0]


def test_the_partitions_job_is_scheduled():
    assert "records_statement_partitions" in {job.id for job in registered_jobs()}


@on_postgresql
def test_a_statement_is_stored_in_its_months_partition(cast):
    st, created = statement_record(
        actor=cast.rep_a1, verb=vocab.EXPERIENCED, activity=Activity(iri="urn:test:a", type=ARTICLE, name={})
    )
    assert created
    assert partitions.is_partitioned()
    month = st.stored.astimezone(ZoneInfo(settings.TIME_ZONE)).date().replace(day=1)
    assert _partition_of(st) == partitions.partition_name(month)
    assert StatementKey.objects.filter(id=st.id, seq=st.seq).exists()


@on_postgresql
def test_an_id_is_stored_once_even_when_sent_again_in_another_month(cast):
    first = _statement(cast.rep_a1, stored=datetime(2026, 12, 3, tzinfo=UTC))
    assert _insert_at(first)
    again = _statement(cast.rep_a1, stored=datetime(2027, 1, 20, tzinfo=UTC), statement_id=first.id)
    assert not _insert_at(again)
    assert Statement.objects.filter(id=first.id).count() == 1


@on_postgresql
def test_a_month_made_after_its_statements_arrived_takes_them_from_the_default_partition(cast):
    far = datetime(2031, 5, 10, tzinfo=UTC)
    st = _statement(cast.rep_a1, stored=far)
    assert _insert_at(st)
    assert _partition_of(st) == partitions.DEFAULT
    created = partitions.partitions_ensure(today=date(2031, 4, 2))
    assert partitions.partition_name(date(2031, 5, 1)) in created
    assert _partition_of(st) == "records_statement_p2031_05"
    assert partitions.partitions_ensure(today=date(2031, 4, 2)) == []  # idempotent
    # The moved row keeps its id's uniqueness and its trigger: a resend is still skipped.
    assert not _insert_at(_statement(cast.rep_a1, stored=far, statement_id=st.id))


@on_postgresql
def test_an_old_month_is_archived_to_storage_detached_and_restored(cast):
    partitions.partitions_ensure(since=date(2025, 1, 1))
    old = [_statement(cast.rep_a1, stored=datetime(2025, 2, d, 3, tzinfo=UTC)) for d in (1, 2, 3)]
    for st in old:
        assert _insert_at(st)
    assert _partition_of(old[0]) == "records_statement_p2025_02"
    call_command("statements_detach", "--before", "2025-03")
    assert stored_exists(partitions.archive_name(date(2025, 2, 1)))
    assert not Statement.objects.filter(id__in=[s.id for s in old]).exists()
    assert "records_statement_p2025_02" not in {p.name for p in partitions.partitions_list()}
    # An archived id is not stored again, and whoever sends it again is told why (not a server error).
    assert not _insert_at(_statement(cast.rep_a1, stored=datetime(2026, 12, 5, tzinfo=UTC), statement_id=old[0].id))
    with pytest.raises(StatementError, match="アーカイブ"):
        statement_record(
            actor=cast.rep_a1,
            verb=vocab.EXPERIENCED,
            activity=Activity(iri="urn:test:a", type=ARTICLE, name={}),
            statement_id=old[0].id,
        )
    call_command("statements_detach", "--restore", "2025-02")
    back = Statement.objects.filter(id__in=[s.id for s in old]).order_by("seq")
    assert [(s.id, s.seq, s.stored) for s in back] == [(s.id, s.seq, s.stored) for s in old]
    assert _partition_of(old[0]) == "records_statement_p2025_02"


@pytest.mark.django_db
def test_the_detach_command_says_why_it_does_nothing_on_sqlite():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the command works (the test above)")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="PostgreSQL only|partitioned on PostgreSQL only"):
        call_command("statements_detach", "--before", "2025-03")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_requests_storing_one_id_at_once_store_it_once(cast):
    statement_id = uuid.uuid4()
    results: dict[str, bool] = {}
    first_inserted = threading.Event()
    let_first_commit = threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = _insert_at(
                    _statement(cast.rep_a1, stored=datetime.now(UTC), statement_id=statement_id)
                )
                first_inserted.set()
                let_first_commit.wait(10)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_inserted.wait(10)
            with transaction.atomic():
                results["second"] = _insert_at(
                    _statement(cast.rep_a1, stored=datetime(2027, 2, 1, tzinfo=UTC), statement_id=statement_id)
                )
        finally:
            connections.close_all()

    a, b = threading.Thread(target=first), threading.Thread(target=second)
    a.start()
    b.start()
    first_inserted.wait(10)
    b.join(1)
    assert b.is_alive()  # the second waits for the first's transaction
    let_first_commit.set()
    a.join(10)
    b.join(10)
    assert results == {"first": True, "second": False}
    assert Statement.objects.filter(id=statement_id).count() == 1


def _learning_days(cast):
    return sorted(LearningDay.objects.values_list("user_id", "day", "statements", "seconds"))


def test_a_rebuild_by_partner_or_month_gives_the_rows_of_the_live_path(cast):
    for rep in (cast.rep_a1, cast.rep_b1):
        for i in range(3):
            statement_record(
                actor=rep,
                verb=vocab.EXPERIENCED,
                activity=Activity(iri=f"urn:test:a{i}", type=ARTICLE, name={}),
                result={"duration": "PT30S"},
            )
    live = _learning_days(cast)
    assert len(live) == 2
    LearningDay.objects.filter(user=cast.rep_a1).update(statements=99)
    LearningDay.objects.filter(user=cast.rep_b1).update(statements=77)
    counts = rebuild_all(partner_id=cast.partner_a.pk, actors_per_pass=1)
    assert counts["learning_days"] == 1
    assert LearningDay.objects.get(user=cast.rep_a1).statements == 3
    assert LearningDay.objects.get(user=cast.rep_b1).statements == 77  # another agency's rep: untouched
    day = LearningDay.objects.get(user=cast.rep_b1).day
    assert rebuild_month(month=day.replace(day=1)) == {"learning_days": 2}
    assert _learning_days(cast) == live
    rebuild_all(actors_per_pass=1)  # one rep a pass gives the same rows as everybody at once
    assert _learning_days(cast) == live
    rebuild_all(statements_per_pass=2)  # so does a pass cut by its statements (one rep each here: 3 statements)
    assert _learning_days(cast) == live


def test_a_rebuild_pass_is_cut_at_its_reps_and_at_their_statements():
    from kizuna.records.projections import _passes

    weights = {7: 5, 3: 1, 9: 1, 4: 2, 8: 40}
    assert _passes(weights, actors_per_pass=10, statements_per_pass=10) == [[3, 4, 7], [8], [9]]
    assert _passes(weights, actors_per_pass=2, statements_per_pass=100) == [[3, 4], [7, 8], [9]]
    assert _passes({}, actors_per_pass=2, statements_per_pass=100) == []


def test_the_rebuild_command_refuses_an_unknown_partner_or_month(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No agency"):
        call_command("rebuild_projections", "--partner", "nobody")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("rebuild_projections", "--month", "2026-13")
