"""Streaming the statements and projections into PostgreSQL with COPY, secondary indexes rebuilt afterwards."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from typing import Any

from .common import log
from .simulation import Simulation

STATEMENT_COLUMNS = [
    "seq",
    "id",
    "actor_id",
    "partner_id",
    "verb",
    "object_iri",
    "object_type",
    "object_name",
    "course_id",
    "course_version_id",
    "lesson_id",
    "result",
    "context",
    "duration_seconds",
    "timestamp",
    "stored",
    "object_definition",
]
LESSON_PROGRESS_COLUMNS = [
    "user_id",
    "lesson_id",
    "course_id",
    "started_at",
    "last_activity_at",
    "completed_at",
    "position_seconds",
    "played_segments",
    "progress",
    "time_spent_seconds",
]
COURSE_PROGRESS_COLUMNS = [
    "user_id",
    "course_id",
    "version_id",
    "partner_id",
    "started_at",
    "last_activity_at",
    "completed_at",
    "lessons_completed",
    "lessons_total",
    "time_spent_seconds",
    "last_lesson_id",
]


def check_columns() -> None:
    """Fail loudly if the models gained columns this generator does not fill."""
    from kizuna.records import projections
    from kizuna.records.models import CourseProgress, LessonProgress, Statement

    if projections.MAX_COUNTED_SECONDS != MAX_COUNTED_SECONDS:
        sys.exit("kizuna.records.projections.MAX_COUNTED_SECONDS changed: update bench/datagen/bulkload.py")

    for model, columns, skip in (
        (Statement, STATEMENT_COLUMNS, set()),
        (LessonProgress, LESSON_PROGRESS_COLUMNS, {"id"}),
        (CourseProgress, COURSE_PROGRESS_COLUMNS, {"id"}),
    ):
        actual = {f.column for f in model._meta.concrete_fields} - skip
        if actual != set(columns):
            sys.exit(
                f"{model.__name__} columns changed: the model has {sorted(actual - set(columns))} that "
                f"bench/generate.py does not fill, and lacks {sorted(set(columns) - actual)}. Update the generator."
            )


def connect() -> Any:
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    return psycopg.connect(**{k: v for k, v in params.items() if v not in (None, "")})


def drop_secondary_indexes(cur: Any, table: str) -> list[str]:
    """Drop the table's foreign keys, unique constraints and plain indexes; return the SQL that restores them."""
    restore: list[str] = []
    cur.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC",
        [table],
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        [table],
    )
    indexes = cur.fetchall()
    for name, _kind, _definition in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    # A partitioned table's index reads back as `CREATE INDEX … ON ONLY …`: that makes an invalid index of the
    # parent alone and none on the partitions (every lookup then scans every month). Build it on every partition.
    restore += [definition.replace(" ON ONLY ", " ON ", 1) for _name, definition in indexes]
    restore += [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for name, kind, definition in sorted(constraints, key=lambda c: c[1] == "f")
    ]
    return restore


MAX_COUNTED_SECONDS = 120.0  # kizuna.records.projections.MAX_COUNTED_SECONDS; check_columns() compares them


def bulk_load(sim: Simulation) -> dict[str, int]:
    from django.conf import settings

    from kizuna.records.partitions import partitions_ensure

    tables = ["records_statement", "records_lessonprogress", "records_courseprogress", "records_learningday"]
    counts = {}
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = 'records_statement'::regclass")
        partitioned = cur.fetchone()[0]
        cur.execute(f"TRUNCATE {', '.join(tables + (['records_statementkey'] if partitioned else []))}")
        restore = [sql for table in tables for sql in drop_secondary_indexes(cur, table)]
        # Partitioned by month (records' migration 0005, docs/statements-at-scale.md): the window's months made
        # first; COPY cannot FREEZE a partitioned table; the id keys are filled in one pass after the copy.
        # (FREEZE needs the truncate in the same transaction, which the months' creation commits.)
        freeze = "" if partitioned else " WITH (FREEZE)"
        if partitioned:
            conn.commit()
            partitions_ensure(since=datetime.fromtimestamp(sim.window_start_us / 1e6, tz=sim.tz).date())
            cur.execute("ALTER TABLE records_statement DISABLE TRIGGER records_statement_key_once")
        t0 = time.monotonic()
        n = 0
        with cur.copy(f"COPY records_statement ({', '.join(STATEMENT_COLUMNS)}) FROM STDIN{freeze}") as copy:
            for row in sim.rows():
                copy.write_row(row)
                n += 1
        counts["statements"] = n
        if partitioned:
            cur.execute(
                "INSERT INTO records_statementkey (id, seq, stored) SELECT id, seq, stored FROM records_statement"
            )
            cur.execute("ALTER TABLE records_statement ENABLE TRIGGER records_statement_key_once")
            cur.execute("SELECT min(stored) FROM records_statement_default")
            earliest = cur.fetchone()[0]
            conn.commit()
            if earliest is not None:  # statements from before the window (assignments): their months too
                partitions_ensure(since=earliest.astimezone(sim.tz).date())
        log(f"statements: {n:,} copied in {time.monotonic() - t0:.0f} s ({n / max(0.1, time.monotonic() - t0):,.0f}/s)")
        for table, columns, rows, key in (
            ("records_lessonprogress", LESSON_PROGRESS_COLUMNS, sim.lesson_progress_rows(), "lesson_progress"),
            ("records_courseprogress", COURSE_PROGRESS_COLUMNS, sim.course_progress_rows(), "course_progress"),
        ):
            n = 0
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN{freeze}") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            counts[key] = n
            log(f"{key}: {n:,} rows copied")
        # The per-day projection, by the rules of kizuna.records.projections.project_day, in SQL.
        cur.execute(
            "INSERT INTO records_learningday (user_id, partner_id, day, seconds, statements) "
            "SELECT actor_id, max(partner_id), (timestamp AT TIME ZONE %(tz)s)::date, "
            "sum(least(greatest(coalesce(duration_seconds, 0), 0), %(cap)s)), count(*) "
            "FROM records_statement WHERE verb NOT LIKE %(assigned)s "
            "GROUP BY actor_id, (timestamp AT TIME ZONE %(tz)s)::date",
            {"tz": settings.TIME_ZONE, "cap": MAX_COUNTED_SECONDS, "assigned": "%/verbs/assigned"},
        )
        counts["learning_days"] = cur.rowcount
        log(f"learning_days: {cur.rowcount:,} rows derived")
        t0 = time.monotonic()
        for sql in restore:
            cur.execute(sql)
        for table, pk in (
            ("records_statement", "seq"),
            ("records_lessonprogress", "id"),
            ("records_courseprogress", "id"),
            ("records_learningday", "id"),
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "
                f"GREATEST((SELECT max({pk}) FROM {table}), 1))"
            )
        log(f"indexes and foreign keys rebuilt in {time.monotonic() - t0:.0f} s")
    with connect() as conn:
        conn.autocommit = True
        t0 = time.monotonic()
        conn.execute("VACUUM (ANALYZE)")
        log(f"vacuum analyze in {time.monotonic() - t0:.0f} s")
    return counts
