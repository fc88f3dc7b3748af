"""The shared database cache writes with one statement and is culled by its job, not on a request."""

from typing import Any

import pytest
from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from kizuna.accounts.models import User
from kizuna.ops.dbcache import cache_cull
from kizuna.ops.schedule import registered_jobs

pytestmark = pytest.mark.django_db


def statements(captured: CaptureQueriesContext) -> list[str]:
    """What was sent, without the savepoint around it that the test's own transaction calls for."""
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].upper()]


@pytest.fixture
def db_cache(settings: Any) -> Any:
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "kizuna.ops.dbcache.DatabaseCache", "LOCATION": "kizuna_cache", "KEY_PREFIX": "t"},
    }
    cache = caches["default"]
    cache.clear()
    return cache


def test_a_write_of_many_keys_is_one_statement_and_reads_back_as_written(db_cache):
    with CaptureQueriesContext(connection) as written:
        db_cache.set_many({"a": {"n": 1}, "b": [1, "二"], "c": None})
    assert len(statements(written)) == 1
    assert db_cache.get_many(["a", "b", "c", "missing"]) == {"a": {"n": 1}, "b": [1, "二"], "c": None}


def test_a_write_replaces_what_was_kept_under_the_same_key(db_cache):
    db_cache.set("k", "old")
    with CaptureQueriesContext(connection) as written:
        db_cache.set("k", "new", timeout=60)
    assert len(statements(written)) == 1
    assert db_cache.get("k") == "new"


def test_a_value_past_its_timeout_is_gone(db_cache):
    db_cache.set("short", "x", timeout=-1)
    db_cache.set("forever", "y", timeout=None)
    assert db_cache.get("short") is None
    assert db_cache.get("forever") == "y"


def test_a_write_inside_a_transaction_keeps_that_transaction_usable(db_cache):
    with transaction.atomic():
        db_cache.set("inside", 1)
        user = User.objects.create(email="cache@example.com", name="キャッシュ")
    assert db_cache.get("inside") == 1
    assert User.objects.filter(pk=user.pk).exists()


def test_a_failed_write_is_swallowed_and_leaves_the_callers_transaction_usable(db_cache, monkeypatch):
    monkeypatch.setattr(db_cache, "table", "no_such_cache_table")
    with transaction.atomic():
        db_cache.set("lost", 1)  # the table is missing: the write fails quietly, like Django's own
        User.objects.create(email="after@example.com", name="後")
    assert User.objects.filter(email="after@example.com").exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="after@example.com", name="重複")


def test_the_cull_job_removes_expired_rows_and_trims_a_full_table(db_cache):
    db_cache.set_many({f"old{i}": i for i in range(5)}, timeout=-1)
    db_cache.set_many({f"live{i}": i for i in range(30)}, timeout=3600)
    db_cache._max_entries = 10
    left = cache_cull()
    assert left <= 30 - 30 // db_cache._cull_frequency
    assert not any(db_cache.get(f"old{i}") for i in range(5))
    assert len(db_cache.get_many([f"live{i}" for i in range(30)])) == left


def test_the_cull_runs_hourly_from_the_scheduler(db_cache):
    assert "ops_cache_cull" in {job.id for job in registered_jobs()}
