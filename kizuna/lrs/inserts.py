"""The LRS's bulk writes on PostgreSQL, without Django's insert building.

Django's PostgreSQL backend binds parameters on the client: every value of a multi-row INSERT (and every element
of the UNNEST arrays bulk_create sends) is quoted into the SQL text in Python, with a regular expression per
string; for a batch of 100 statements that was most of the request's CPU. Here the same rows travel as a few
arrays bound on the server (psycopg's binary format, no quoting) into one `INSERT … SELECT FROM unnest(…)` whose
text never changes, so PostgreSQL prepares it once per connection. The statements go through Django's cursor
wrapper, so query logging, the test suite's query counts and the execute wrappers still see them.

JSON is encoded with orjson (a value it cannot encode, such as an integer beyond 64 bits, falls back to the
standard library). Other databases (SQLite) keep the ORM's path in `kizuna.lrs.statements`.
"""

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import orjson
from django.db import connection

from .models import LrsActivity, LrsStatement, LrsStatementKey


def fast() -> bool:
    """Whether the bulk writes below apply (PostgreSQL)."""
    return connection.vendor == "postgresql"


def dumps(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # an integer beyond 64 bits, say: the standard library writes any JSON number
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """Parse JSON: orjson, else the standard library (which also reads what orjson refuses: huge integers)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


@contextmanager
def _server_bound_cursor() -> Iterator[Any]:
    """A Django cursor wrapper around a psycopg cursor that binds its parameters on the server."""
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    cursor = wrap(raw)  # type: ignore[arg-type]  # Django wraps any DB-API cursor
    try:
        yield cursor
    finally:
        raw.close()


_STATEMENTS_SQL = (
    f"INSERT INTO {LrsStatement._meta.db_table} "  # noqa: S608 (the names are ours)
    "(statement_id, data, partner_id, credential_id, verb, registration, stored, voided, voids, refers_to) "
    "SELECT t.i, t.d::jsonb, t.p, t.c, t.v, t.r::uuid, t.s, false, t.vo, t.rt "
    "FROM unnest(%b::uuid[], %b::text[], %b::bigint[], %b::bigint[], %b::text[], %b::text[], %b::timestamptz[], "
    "%b::uuid[], %b::uuid[]) AS t(i, d, p, c, v, r, s, vo, rt) "
    "ON CONFLICT (statement_id) DO NOTHING RETURNING seq, statement_id"
)


def statements_insert(rows: list[LrsStatement]) -> dict[uuid.UUID, int]:
    """INSERT … ON CONFLICT DO NOTHING the rows in one statement; return {statement_id: seq} of those inserted."""
    columns: list[list[Any]] = [[] for _n in range(9)]
    for row in rows:
        registration = row.registration
        for column, value in zip(
            columns,
            (
                row.statement_id,
                dumps(row.data),
                row.partner_id,
                row.credential_id,
                row.verb,
                None if registration is None else str(registration),
                row.stored,
                row.voids,
                row.refers_to,
            ),
            strict=True,
        ):
            column.append(value)
    with _server_bound_cursor() as cursor:
        cursor.execute(_STATEMENTS_SQL, columns)
        return {statement_id: seq for seq, statement_id in cursor.fetchall()}


_KEYS_SQL = (
    f"INSERT INTO {LrsStatementKey._meta.db_table} (statement_id, kind, key, related, verb) "  # noqa: S608
    "SELECT * FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::bool[], %b::text[])"
)


def keys_insert(keys: list[tuple[int | None, str, str, bool, str]]) -> None:
    with _server_bound_cursor() as cursor:
        cursor.execute(_KEYS_SQL, [list(column) for column in zip(*keys, strict=True)])


_ACTIVITY_TABLE = LrsActivity._meta.db_table


def activities_read(activity_ids: list[str], *, lock: bool) -> dict[str, dict[str, Any]]:
    """The stored definitions of these activities (locked for update with lock=True, in id order)."""
    sql = f"SELECT activity_id, definition FROM {_ACTIVITY_TABLE} WHERE activity_id = ANY(%b::text[])"  # noqa: S608
    if lock:
        sql += " ORDER BY activity_id FOR UPDATE"
    with _server_bound_cursor() as cursor:
        cursor.execute(sql, [activity_ids])
        return {activity_id: _json_value(definition) for activity_id, definition in cursor.fetchall()}


def _json_value(value: Any) -> Any:
    return loads(value) if isinstance(value, str | bytes) else value


def activities_insert(definitions: dict[str, dict[str, Any]], now: datetime) -> None:
    """Insert new activities; one another request inserted meanwhile is left as it is (as bulk_create's
    ignore_conflicts did)."""
    with _server_bound_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_ACTIVITY_TABLE} (activity_id, definition, updated_at) "  # noqa: S608
            "SELECT t.a, t.d::jsonb, %b FROM unnest(%b::text[], %b::text[]) AS t(a, d) "
            "ON CONFLICT (activity_id) DO NOTHING",
            [now, list(definitions), [dumps(d) for d in definitions.values()]],
        )


def activities_update(definitions: dict[str, dict[str, Any]], now: datetime) -> None:
    with _server_bound_cursor() as cursor:
        cursor.execute(
            f"UPDATE {_ACTIVITY_TABLE} AS a SET definition = t.d::jsonb, updated_at = %b "  # noqa: S608
            "FROM unnest(%b::text[], %b::text[]) AS t(a, d) WHERE a.activity_id = t.a",
            [now, list(definitions), [dumps(d) for d in definitions.values()]],
        )
