"""Django's database cache, with a write that costs one statement.

The shared cache is the database unless ``REDIS_URL`` is set (settings ``CACHES["default"]``). Django's
``DatabaseCache.set`` counts the whole table first (``SELECT COUNT(*)``: a sequential scan on PostgreSQL,
10 ms once an agency's reps have filled it), then reads the key and updates or inserts it in a transaction:
five statements per key, and ``set_many`` repeats them per key. A rep page that computes two kept values on
a first visit paid ten statements for them. Here a write is one ``INSERT … ON CONFLICT DO UPDATE`` for all its
keys (PostgreSQL and SQLite alike), and expired and surplus rows are removed by the hourly job ``ops_cache_cull``
(``cache_cull``), never on a rep's request. Values are stored exactly as Django stores them, so reads are
Django's own.
"""

from __future__ import annotations

import base64
import pickle
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.table = table

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._upsert({self.make_and_validate_key(key, version=version): value}, timeout)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        if data:
            self._upsert({self.make_and_validate_key(k, version=version): v for k, v in data.items()}, timeout)
        return []

    def _upsert(self, values: dict[str, Any], timeout: Any) -> None:
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self.table)
        until = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        expires = connection.ops.adapt_datetimefield_value(until.replace(microsecond=0))
        rows: list[Any] = []
        for key in sorted(values):  # one order for every writer: concurrent upserts cannot deadlock
            pickled = pickle.dumps(values[key], self.pickle_protocol)
            rows += [key, base64.b64encode(pickled).decode("latin1"), expires]
        # Only the table's quoted name and placeholders are formatted in; every value is a parameter.
        key_col, value_col, expires_col = quote("cache_key"), quote("value"), quote("expires")
        placeholders = ", ".join(["(%s, %s, %s)"] * len(values))
        sql = (
            f"INSERT INTO {table} ({key_col}, {value_col}, {expires_col}) VALUES {placeholders}"  # noqa: S608
            f" ON CONFLICT ({key_col}) DO UPDATE SET {value_col} = excluded.{value_col},"
            f" {expires_col} = excluded.{expires_col}"
        )
        try:
            # Inside a caller's transaction, a savepoint keeps a failed write from spoiling it; outside, one statement.
            with (
                transaction.atomic(using=db) if connection.in_atomic_block else nullcontext(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, rows)
        except DatabaseError:
            pass  # a cache write may fail (as Django's may): the value is computed again next time

    def cull(self) -> int:
        """Remove expired rows, then a share of the rest if the table holds more than MAX_ENTRIES; the rows left."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self.table)
        now = tz_now().replace(microsecond=0)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE {connection.ops.quote_name('expires')} < %s",  # noqa: S608
                [connection.ops.adapt_datetimefield_value(now)],
            )
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            count = cursor.fetchone()[0]
            if count > self._max_entries:
                self._cull(db, cursor, now, count)  # type: ignore[attr-defined]  # Django's, unstubbed
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                count = cursor.fetchone()[0]
        return int(count)


def cache_cull() -> int:
    """Cull the shared cache if it is this database cache (Redis expires its own keys); the rows left, or 0."""
    cache = caches["default"]
    return cache.cull() if isinstance(cache, DatabaseCache) else 0
