"""`backup` copies a live site consistently while it is written to; `restore` brings every statement,
projection row and media file back into an empty data folder (SQLite) or an empty database (PostgreSQL)."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kizuna.ops import backup

# The backup copies the local media folder; with STORAGE_URL the files live in the bucket, which it does not copy.
pytestmark = pytest.mark.local_files

REPO = Path(__file__).resolve().parents[3]
PROJECTIONS = ["records_lessonprogress", "records_courseprogress", "records_learningday"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Writer(threading.Thread):
    """A rep asking questions non-stop: each one is a statement and a learning-day projection update."""

    def __init__(self, rep) -> None:
        super().__init__(daemon=True)
        self.rep = rep
        self.written = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        from django.db import connection as thread_connection

        from kizuna.records import vocab
        from kizuna.records.services import Activity, statement_record

        question = vocab.Term("activity-types/backup-test-question", "質問", "question", own=True)
        try:
            while not self.stop.is_set():
                statement_record(
                    actor=self.rep,
                    verb=vocab.ASKED,
                    activity=Activity(iri=f"urn:kizuna:test:question:{uuid.uuid4()}", type=question, name={}),
                )
                self.written += 1
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            self.error = error
        finally:
            thread_connection.close()


def _media(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _restore_env(tmp_path: Path) -> tuple[dict[str, str], Path, str | None]:
    """Environment for a fresh site: its own data folder and, on PostgreSQL, a new empty database."""
    env = {k: v for k, v in os.environ.items() if k not in {"SQLITE_PATH", "MEDIA_ROOT", "DATABASE_URL"}}
    var = tmp_path / "fresh-var"
    env["KIZUNA_VAR_DIR"] = str(var)
    if connection.vendor != "postgresql":
        return env, var, None
    import psycopg

    db = connection.settings_dict
    name = f"kizuna_restore_{os.getpid()}"
    with psycopg.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"], autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"
    return env, var, name


def _restored_digests(var: Path, pg_name: str | None) -> dict:
    if pg_name is None:
        return backup._sqlite_digests(var / "kizuna.sqlite3")
    db = {**connection.settings_dict, "NAME": pg_name}
    with backup._pg_connect(db) as conn:
        cursor = conn.cursor()
        return {table: backup._table_digest(cursor, table) for table in backup._pg_tables(cursor)}


def _restored_statement_ids(var: Path, pg_name: str | None) -> set[str]:
    if pg_name is None:
        conn = sqlite3.connect(var / "kizuna.sqlite3")
        try:
            return {str(uuid.UUID(str(i))) for (i,) in conn.execute("SELECT id FROM records_statement")}
        finally:
            conn.close()
    db = {**connection.settings_dict, "NAME": pg_name}
    with backup._pg_connect(db) as conn:
        return {str(i) for (i,) in conn.execute("SELECT id FROM records_statement")}


def _drop(pg_name: str | None) -> None:
    if pg_name is None:
        return
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"], autocommit=True
    ) as admin:
        # An autovacuum worker on the freshly restored database cannot be ended by a role that is not a superuser
        # (nor in pg_signal_backend): it finishes in moments, so try again.
        drop = f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'
        for _attempt in range(29):
            try:
                admin.execute(drop)
                return
            except psycopg.errors.InsufficientPrivilege:
                time.sleep(1)
        admin.execute(drop)  # the last try says why it failed


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_a_live_demo_under_load_restores_every_statement_projection_row_and_file(settings, tmp_path):
    from kizuna.accounts.models import User
    from kizuna.records.models import Statement

    call_command("demo_seed", "--no-video", stdout=StringIO())
    media_root = Path(settings.MEDIA_ROOT)
    for n in range(5):  # uploads as the site keeps them: photos, videos
        (media_root / "photos" / f"{n:02d}").mkdir(parents=True, exist_ok=True)
        (media_root / "photos" / f"{n:02d}" / "photo.jpg").write_bytes(os.urandom(4096 + n))
    media_before = _media(media_root)
    statements_before = {str(i) for i in Statement.objects.values_list("id", flat=True)}
    assert len(statements_before) > 100 and media_before

    writer = Writer(User.objects.get(email="rep1@partner-a.example"))
    writer.start()
    try:
        while writer.written < 5 and writer.is_alive():
            writer.stop.wait(0.05)
        written_before = writer.written
        folder = backup.backup_create(output=tmp_path / "backups")
        written_during = writer.written - written_before
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert writer.error is None, writer.error
    assert written_during > 0, "the site was written to while the backup ran"

    manifest = json.loads((folder / "manifest.json").read_text())
    tables = manifest["database"]["tables"]
    assert tables["records_statement"]["rows"] >= len(statements_before) + written_before
    assert manifest["media"]["files"].keys() == media_before.keys()

    env, var, pg_name = _restore_env(tmp_path)
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(folder)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        restored = _restored_digests(var, pg_name)
        restored_ids = _restored_statement_ids(var, pg_name)
    finally:
        _drop(pg_name)

    assert restored["records_statement"] == tables["records_statement"]
    for table in PROJECTIONS:
        assert restored[table] == tables[table], table
    assert restored == tables
    assert statements_before <= restored_ids  # every statement from before the backup is back
    assert restored_ids <= {str(i) for i in Statement.objects.values_list("id", flat=True)}  # and nothing made up
    assert _media(var / "media") == media_before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty_without_force(cast, tmp_path):
    folder = backup.backup_create(output=tmp_path / "backups")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup(cast, tmp_path):
    folder = backup.backup_create(output=tmp_path / "backups")
    database = folder / json.loads((folder / "manifest.json").read_text())["database"]["file"]
    with database.open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\xff\x00damage")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(folder), "--force")
