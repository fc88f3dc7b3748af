"""PostgreSQL timestamps read through psycopg's C loader (kizuna.ops.pgdates) are the values Django's loader gives."""

from datetime import UTC

import pytest
from django.db import connection

VALUES = [
    "2026-12-07 09:00:00+00",
    "2026-12-07 18:00:00.123456+09",
    "1999-12-31 23:59:59.999999-05:30",
    "2000-02-29 00:00:00+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.5+00",
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's loaders are PostgreSQL's")
def test_the_c_loader_reads_what_djangos_loader_reads(db):
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    from kizuna.ops.pgdates import _LOADER

    sql = "SELECT " + ", ".join(["%s::timestamptz"] * len(VALUES)) + ", NULL::timestamptz"
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(1184, 0)  # timestamptz, text
        cursor.execute(sql, VALUES)
        ours = cursor.fetchone()
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's own, on this cursor only
        cursor.execute(sql, VALUES)
        djangos = cursor.fetchone()
    assert _LOADER is not None and loader is _LOADER
    assert ours == djangos and ours[-1] is None
    assert all(value.tzinfo is UTC for value in ours[:-1])
    assert [v.isoformat() for v in ours[:2]] == ["2026-12-07T09:00:00+00:00", "2026-12-07T09:00:00.123456+00:00"]
