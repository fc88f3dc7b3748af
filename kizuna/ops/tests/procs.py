"""Helpers for tests that run real processes (serve, db_worker) against the test database, on loopback."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from kizuna.ops.processes import kill_group

MANAGE = str(settings.BASE_DIR / "manage.py")

# Fast clocks, so a lost worker is noticed and a failing task retried within seconds.
FAST = {
    "TASKS_HEARTBEAT_SECONDS": "0.3",
    "TASKS_STALE_SECONDS": "1.5",
    "TASKS_RETRY_DELAY_SECONDS": "0.1",
    "TASKS_MAX_ATTEMPTS": "3",
    "SERVE_RESTART_BACKOFF_SECONDS": "0.2",
    "SERVE_STOP_GRACE_SECONDS": "4",
}


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a child process that uses this test's database and media folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SQLITE_PATH", "TASKS_BACKEND", "REDIS_URL", "STORAGE_URL"}
    }
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # The test's shared cache and stored files, as another server of the same deployment would have them: its
    # Redis database and its bucket when the test runs on them (the CI's Redis and S3 pass), else none.
    cache = settings.CACHES["default"]
    if cache["BACKEND"] == "django_redis.cache.RedisCache":
        env["REDIS_URL"] = cache["LOCATION"]
        if settings.TASKS["default"]["BACKEND"] != "kizuna.ops.rqueue.RQBackend":
            env["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"  # the test runs the database queue
    if settings.STORAGE_URL:
        env["STORAGE_URL"] = settings.STORAGE_URL
    env.update(
        KIZUNA_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        MEDIA_WORK_DIR=str(settings.MEDIA_WORK_DIR),
        SECRET_KEY="test-only-secret-key-for-child-processes-0123456789",  # noqa: S106
        DEBUG="true",  # static files from the finders: nothing to collect
        PYTHONUNBUFFERED="1",
        **FAST,
        **extra,
    )
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `manage.py <args>` in its own session, output to `log`."""
    out = log.open("ab")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, MANAGE, *args],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return start(["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"], env, log)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Kill a process we started and its whole group (the test's cleanup)."""
    kill_group(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_for(check: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> tuple[int, int] | None:
    """(ppid, pgid) of a live process, or None if it is gone or a zombie."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        return None
    return int(fields[1]), int(fields[2])


def alive(pid: int) -> bool:
    return _stat(pid) is not None


def processes() -> dict[int, tuple[int, int]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (st := _stat(int(entry.name))) is not None:
            found[int(entry.name)] = st
    return found


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (children, grandchildren...)."""
    table, found, todo = processes(), set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _pgid) in table.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def in_groups(pgids: set[int]) -> set[int]:
    """Live processes in any of these process groups (orphans included, whoever their parent now is)."""
    return {pid for pid, (_ppid, pgid) in processes().items() if pgid in pgids}


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def pids_running(fragment: str) -> set[int]:
    """Live processes whose command line contains `fragment`."""
    return {pid for pid in processes() if fragment in cmdline(pid)}
