# Table names in this module's SQL are our own constants and names made from dates, never input.
# ruff: noqa: S608
"""The statements table by month on PostgreSQL: partitions made ahead, listed, detached to storage and restored.

`records_statement` is declaratively partitioned by RANGE (`stored`), one partition per calendar month of the
deployment's time zone (`records_statement_pYYYY_MM`), plus `records_statement_default` for anything outside
the months created. `stored` is the server's time of storing, which only grows, so new statements always go to
the newest month and old months stop changing. docs/statements-at-scale.md has the design. SQLite keeps one plain table;
every function here then does nothing (or says so).
"""

import gzip
import io
import json
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kizuna.ops.storage import stored_exists, stored_open, stored_save

from .models import StatementKey

TABLE = "records_statement"
DEFAULT = "records_statement_default"
KEYS = StatementKey._meta.db_table  # the ids of every month, filled by the insert trigger (migration 0005)
# An advisory lock (any constant) so two makers of partitions, or a maker and a detach, take turns.
_LOCK = 7_202_010
ARCHIVE_PREFIX = "statements/archive"
MONTHS_AHEAD = 3


# How far a statement's `stored` may lie from a moment its reader knows (its `timestamp`, a row written with it):
# a device's clock ahead, a slow transaction, a server's clock. Bounds on `stored` widen by this, never cut a row.
STORED_MARGIN = timedelta(days=1)


def stored_window(since: datetime | None = None) -> Q:
    """Statements stored from about `since` (a margin before) up to now (a margin after): the bound on the
    partition key with which PostgreSQL reads only the months in between (and not the default partition).

    A reader that knows when its statements were stored, or that they happened (`timestamp`) after some moment,
    says so with this: a statement is stored when it arrives, so never long before it happened (a device clock
    ahead, within the margin) and never after now. On SQLite it is a plain filter on the one table.
    """
    window = Q(stored__lt=timezone.now() + STORED_MARGIN)
    if since is not None:
        window &= Q(stored__gte=since - STORED_MARGIN)
    return window


def keys_kept() -> bool:
    """Whether every statement's id is in the key table (PostgreSQL: the insert trigger of migration 0005), so a
    lookup by id can learn the statement's `stored` there first and read one partition."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Partition:
    name: str
    month: date | None  # None: the default partition
    rows: int  # PostgreSQL's estimate (reltuples), -1 before the first ANALYZE


def is_partitioned() -> bool:
    """Whether the statements table is the partitioned one (PostgreSQL after records' migration 0005)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cur.fetchone()
    return bool(row) and row[0] == "p"


def month_start(month: date) -> datetime:
    """The first instant of the month in the deployment's time zone."""
    return datetime(month.year, month.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def parse_month(text: str) -> date:
    """'2026-12' -> date(2026, 12, 1); ValueError for anything else."""
    parsed = datetime.strptime(text.strip(), "%Y-%m")
    return date(parsed.year, parsed.month, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_p{month.year:04d}_{month.month:02d}"


def _literal(moment: datetime) -> str:
    # Bounds of a partition are literals in DDL (no parameters there); these come from dates only.
    return "'" + moment.isoformat() + "'"


def _bounds_sql(month: date) -> str:
    return f"FROM ({_literal(month_start(month))}) TO ({_literal(month_start(next_month(month)))})"


def _columns(cur: Any) -> list[str]:
    cur.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum",
        [TABLE],
    )
    return [f'"{r[0]}"' for r in cur.fetchall()]


def partitions_list() -> list[Partition]:
    """The attached partitions, oldest month first, the default one last."""
    if not is_partitioned():
        return []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname, c.reltuples::bigint FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
            [TABLE],
        )
        rows = cur.fetchall()
    found = []
    for name, tuples in rows:
        month = None
        if name != DEFAULT:
            year, mon = name.removeprefix(f"{TABLE}_p").split("_")
            month = date(int(year), int(mon), 1)
        found.append(Partition(name=name, month=month, rows=int(tuples)))
    return sorted(found, key=lambda p: (p.month is None, p.month or date.min))


def _exists(cur: Any, name: str) -> bool:
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(cur.fetchone()[0])


def _create_month(cur: Any, month: date) -> None:
    """Create one month's partition, moving in the rows the default partition caught for it (usually none)."""
    name = partition_name(month)
    start, end = month_start(month), month_start(next_month(month))
    cur.execute(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE stored >= %s AND stored < %s)", [start, end])
    if not cur.fetchone()[0]:
        cur.execute(f'CREATE TABLE "{name}" PARTITION OF {TABLE} FOR VALUES {_bounds_sql(month)}')
        return
    # PostgreSQL refuses a partition whose rows sit in the default one: move them into the new table first.
    columns = ", ".join(_columns(cur))
    cur.execute(f'CREATE TABLE "{name}" (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING STORAGE)')
    cur.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT} WHERE stored >= %s AND stored < %s RETURNING {columns}) "
        f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM moved',
        [start, end],
    )
    cur.execute(f'ALTER TABLE {TABLE} ATTACH PARTITION "{name}" FOR VALUES {_bounds_sql(month)}')


def partitions_ensure(*, ahead: int = MONTHS_AHEAD, today: date | None = None, since: date | None = None) -> list[str]:
    """Create the monthly partitions missing from `since` (default: this month) to `ahead` months after this one.

    Idempotent, and safe beside another run (an advisory lock): returns the names created. Nothing on SQLite.
    """
    if not is_partitioned():
        return []
    now = today or datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
    month = (since or now).replace(day=1)
    last = now.replace(day=1)
    for _ in range(ahead):
        last = next_month(last)
    created = []
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        while month <= last:
            name = partition_name(month)
            if not _exists(cur, name):
                _create_month(cur, month)
                created.append(name)
            month = next_month(month)
    return created


def archive_name(month: date) -> str:
    return f"{ARCHIVE_PREFIX}/{partition_name(month)}.csv.gz"


def _manifest_name(month: date) -> str:
    return f"{ARCHIVE_PREFIX}/{partition_name(month)}.json"


def partition_detach(month: date) -> int:
    """Write one month's statements to storage (gzip'd CSV, PostgreSQL's COPY format), then detach and drop it.

    The archive is written and checked before the partition is dropped, in one transaction with the detach,
    so a process killed half way leaves the month attached (run it again). Returns the rows archived.
    The month's statement ids stay in the key table (StatementKey): an archived id is never stored again.
    """
    name = partition_name(month)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        if not _exists(cur, name):
            raise ValueError(f"no partition {name}")
        columns = _columns(cur)
        # The month stops changing from here (privacy redactions wait for the detach to commit).
        cur.execute(f'LOCK TABLE "{name}" IN SHARE MODE')
        rows = 0
        with tempfile.TemporaryFile() as spool:
            with (
                gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=6) as gz,
                cur.cursor.copy(
                    f'COPY (SELECT {", ".join(columns)} FROM "{name}" ORDER BY seq) TO STDOUT WITH (FORMAT csv)'
                ) as copy,
            ):
                for block in copy:
                    gz.write(block)
            cur.execute(f'SELECT count(*) FROM "{name}"')
            rows = cur.fetchone()[0]
            spool.seek(0)
            stored_save(archive_name(month), spool, replace=True)
        manifest = {"table": name, "month": month.isoformat()[:7], "rows": rows, "columns": columns}
        stored_save(_manifest_name(month), json.dumps(manifest).encode(), replace=True)
        if _archived_rows(month) != rows:
            raise OSError(f"the archive of {name} does not read back whole; the partition is kept")
        # Foreign keys checked at commit (Django's are deferred) would hold the table: check them now.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(f'ALTER TABLE {TABLE} DETACH PARTITION "{name}"')
        cur.execute(f'DROP TABLE "{name}"')
    return rows


def _archived_rows(month: date) -> int:
    count = 0
    with stored_open(archive_name(month)) as raw, gzip.GzipFile(fileobj=raw) as gz:
        for _line in io.TextIOWrapper(gz, encoding="utf-8", newline=""):
            count += 1
    return count


def partitions_detach_before(before: date) -> list[tuple[str, int]]:
    """Archive and drop every monthly partition wholly before `before` (a month). Returns (name, rows) each."""
    done = []
    for part in partitions_list():
        if part.month is not None and part.month < before:
            done.append((part.name, partition_detach(part.month)))
    return done


def partition_restore(month: date) -> int:
    """Load an archived month back from storage and attach it again; returns the rows restored."""
    if not is_partitioned():
        raise ValueError("the statements table is not partitioned here")
    if not stored_exists(archive_name(month)):
        raise ValueError(f"no archive {archive_name(month)}")
    name = partition_name(month)
    with stored_open(_manifest_name(month)) as fh:
        manifest = json.load(fh)
    columns = ", ".join(manifest["columns"])
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        if _exists(cur, name):
            raise ValueError(f"{name} is attached already")
        cur.execute(f'CREATE TABLE "{name}" (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING STORAGE)')
        with (
            stored_open(archive_name(month)) as raw,
            gzip.GzipFile(fileobj=raw) as gz,
            cur.cursor.copy(f'COPY "{name}" ({columns}) FROM STDIN WITH (FORMAT csv)') as copy,
        ):
            while block := gz.read(1024 * 1024):
                copy.write(block)
        # Ids of a month archived elsewhere: known from now on (those kept at the detach are there already).
        cur.execute(
            f'INSERT INTO {KEYS} (id, seq, stored) SELECT id, seq, stored FROM "{name}" ON CONFLICT (id) DO NOTHING'
        )
        cur.execute(f'ALTER TABLE {TABLE} ATTACH PARTITION "{name}" FOR VALUES {_bounds_sql(month)}')
        cur.execute(f'SELECT count(*) FROM "{name}"')
        rows = int(cur.fetchone()[0])
    if rows != manifest["rows"]:
        raise OSError(f"{name}: {rows} rows restored, {manifest['rows']} archived")
    return rows


def statement_ranges() -> list[tuple[datetime | None, datetime | None]]:
    """Ranges of `stored` covering every statement, in order, each within one partition (the default one for
    what lies before, between or after the months); one open range on a plain table."""
    if not is_partitioned():
        return [(None, None)]
    ranges: list[tuple[datetime | None, datetime | None]] = []
    edge: datetime | None = None
    for part in partitions_list():
        if part.month is None:
            continue
        start, end = month_start(part.month), month_start(next_month(part.month))
        if edge != start:
            ranges.append((edge, start))  # the default partition's share before (or between) the months
        ranges.append((start, end))
        edge = end
    ranges.append((edge, None))
    return ranges
