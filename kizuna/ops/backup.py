"""Backups and restores of a whole site: a consistent copy of the database taken while the site runs,
the media files, and a manifest of row counts and checksums that the restore checks itself against.

A backup is one folder ``kizuna-backup-<UTC timestamp>/`` holding ``manifest.json``, the database
(``db.sqlite3`` made with SQLite's online backup API, or ``db.dump`` made by ``pg_dump --format=custom``)
and ``media/``. The database is copied first and the media after, so every file a copied row refers
to is already on disk when the media are copied.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext

from .progress import QUIET, Progress
from .storage import storage_is_remote

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "db.sqlite3"
PG_FILE = "db.dump"
MEDIA_DIR = "media"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_digest(cursor: Any, table: str) -> dict[str, Any]:
    """Count a table's rows and hash them in a stable order (every column, in order)."""
    cursor.execute(f"SELECT * FROM {_quote(table)} LIMIT 0")  # noqa: S608 (a table name from the catalog)
    width = len(cursor.description)
    order = ", ".join(str(n) for n in range(1, width + 1))
    cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")  # noqa: S608
    digest = hashlib.sha256()
    rows = 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")
            rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def _sqlite_digests(path: Path) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(path)
    try:
        cursor = conn.cursor()
        # FTS5 shadow tables belong to their virtual table and are hashed through it.
        tables = [t for t in _sqlite_tables(conn) if not _is_fts_shadow(conn, t)]
        return {table: _table_digest(cursor, table) for table in tables}
    finally:
        conn.close()


def _is_fts_shadow(conn: sqlite3.Connection, table: str) -> bool:
    virtual = {
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
    }
    return any(table.startswith(v + "_") for v in virtual)


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    )
    return [name for (name,) in cursor.fetchall()]


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


@contextmanager
def _pg_connect(db: dict[str, Any]) -> Iterator[Any]:
    import psycopg

    conn = psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    try:
        yield conn
    finally:
        conn.close()


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")


def _media_files(root: Path) -> Iterable[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _copy_media(source: Path, target: Path, progress: Progress = QUIET) -> dict[str, dict[str, Any]]:
    files = {}
    for path in progress.track(list(_media_files(source)), description=gettext("Copying the media files")):
        relative = path.relative_to(source).as_posix()
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        files[relative] = {"bytes": destination.stat().st_size, "sha256": _sha256_file(destination)}
    return files


def _backup_database(folder: Path) -> dict[str, Any]:
    db = connections["default"].settings_dict
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        target = folder / SQLITE_FILE
        source = sqlite3.connect(str(db["NAME"]), timeout=30)
        copy = sqlite3.connect(target)
        try:
            # One step: SQLite copies every page under one read transaction, a consistent snapshot that
            # writers (WAL) do not wait for.
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return {"vendor": vendor, "file": SQLITE_FILE, "tables": _sqlite_digests(target)}
    if vendor == "postgresql":
        target = folder / PG_FILE
        with _pg_connect(db) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            (snapshot,) = conn.execute("SELECT pg_export_snapshot()").fetchone()
            # pg_dump reads the very snapshot the counts below are taken in.
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(target)], _pg_env(db))
            cursor = conn.cursor()
            tables = {table: _table_digest(cursor, table) for table in _pg_tables(cursor)}
            conn.execute("COMMIT")
        return {"vendor": vendor, "file": PG_FILE, "tables": tables}
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")


def _refuse_remote_storage() -> None:
    if storage_is_remote():
        raise BackupError(
            "Stored files live in a bucket (STORAGE_URL), which this command does not copy. Back up the database "
            "with its own tools (pg_dump) and the bucket with its versioning or replication (docs/deploy.md)."
        )


def backup_create(*, output: Path, now: datetime | None = None, progress: Progress = QUIET) -> Path:
    """Write a backup folder under ``output`` and return it."""
    _refuse_remote_storage()
    now = now or datetime.now(UTC)
    folder = Path(output) / f"kizuna-backup-{now:%Y%m%d-%H%M%S}"
    if folder.exists():
        raise BackupError(f"{folder} already exists; wait a second or choose another --output.")
    folder.mkdir(parents=True)
    try:
        database = _backup_database(folder)
        database["sha256"] = _sha256_file(folder / database["file"])
        media = _copy_media(Path(settings.MEDIA_ROOT), folder / MEDIA_DIR, progress)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database": database,
        "media": {"count": len(media), "bytes": sum(f["bytes"] for f in media.values()), "files": media},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True))
    return folder


def backup_read(source: Path) -> dict[str, Any]:
    """Read a backup's manifest and check every file in it against its checksum."""
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} is not a Kizuna backup (no {MANIFEST}).")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    database = manifest["database"]
    if _sha256_file(Path(source) / database["file"]) != database["sha256"]:
        raise BackupError(f"{database['file']} does not match its checksum: the backup is damaged.")
    for relative, info in manifest["media"]["files"].items():
        file = Path(source) / MEDIA_DIR / relative
        if not file.is_file() or _sha256_file(file) != info["sha256"]:
            raise BackupError(f"media/{relative} is missing or does not match its checksum: the backup is damaged.")
    return manifest


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    conn = sqlite3.connect(path)
    try:
        return not _sqlite_tables(conn)
    finally:
        conn.close()


def database_digests() -> dict[str, dict[str, Any]]:
    """Count and hash every table of the configured database (as the manifest does)."""
    db = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        return _sqlite_digests(Path(db["NAME"]))
    with _pg_connect(db) as conn:
        cursor = conn.cursor()
        return {table: _table_digest(cursor, table) for table in _pg_tables(cursor)}


def backup_restore(*, source: Path, force: bool = False, progress: Progress = QUIET) -> dict[str, Any]:
    """Restore a backup into the configured database and media folder, which must be empty unless ``force``.

    Returns the manifest once the restored rows and files match it.
    """
    _refuse_remote_storage()
    manifest = backup_read(source)
    database = manifest["database"]
    conn = connections["default"]
    if database["vendor"] != conn.vendor:
        raise BackupError(f"This backup is of a {database['vendor']} database; this site uses {conn.vendor}.")
    media_root = Path(settings.MEDIA_ROOT)
    db = conn.settings_dict
    conn.close()
    if conn.vendor == "sqlite":
        target = Path(db["NAME"])
        empty = _sqlite_is_empty(target)
    else:
        with _pg_connect(db) as pg:
            empty = not _pg_tables(pg.cursor())
    if not empty and not force:
        raise BackupError(f"The database {db['NAME']} is not empty; restore into an empty one, or pass --force.")
    if any(True for _ in _media_files(media_root)) and not force:
        raise BackupError(f"The media folder {media_root} is not empty; restore into an empty one, or pass --force.")

    if conn.vendor == "sqlite":
        target.parent.mkdir(parents=True, exist_ok=True)
        backup_copy = sqlite3.connect(Path(source) / database["file"])
        restored = sqlite3.connect(target, timeout=30)
        try:
            backup_copy.backup(restored)
        finally:
            restored.close()
            backup_copy.close()
    else:
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", str(db["NAME"])]
        if not empty:
            command += ["--clean", "--if-exists"]
        _run([*command, str(Path(source) / database["file"])], _pg_env(db))

    if force and media_root.exists():
        shutil.rmtree(media_root)
    _copy_media(Path(source) / MEDIA_DIR, media_root, progress)

    differences = _differences(database["tables"], database_digests())
    checks = list(manifest["media"]["files"].items())
    for relative, info in progress.track(checks, description=gettext("Checking the restored media files")):
        file = media_root / relative
        if not file.is_file() or _sha256_file(file) != info["sha256"]:
            differences.append(f"media/{relative}")
    if differences:
        raise BackupError("The restored site does not match the backup: " + ", ".join(differences[:10]))
    return manifest


def _differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    return [table for table in sorted(set(expected) | set(actual)) if expected.get(table) != actual.get(table)]
