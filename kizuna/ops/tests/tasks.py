"""Tasks that the real-process worker tests enqueue (importable by the worker they start)."""

import time
from pathlib import Path

from django.db import OperationalError
from django_tasks import task


def _runs(marker: str) -> int:
    path = Path(marker)
    return len(path.read_text().splitlines()) if path.exists() else 0


def _note(marker: str, line: str) -> None:
    with Path(marker).open("a") as out:
        out.write(line + "\n")


@task()
def slow_the_first_time(marker: str) -> str:
    """Sleeps on its first run (long enough to be killed), returns at once on the next."""
    first = _runs(marker) == 0
    _note(marker, "start")
    if first:
        time.sleep(60)
    _note(marker + ".done", "done")
    return "done"


@task()
def always_fails(marker: str) -> None:
    _note(marker, "start")
    raise RuntimeError("this task fails on purpose")


@task()
def locked_the_first_time(marker: str) -> str:
    first = _runs(marker) == 0
    _note(marker, "start")
    if first:
        raise OperationalError("database is locked")
    return "done"


@task()
def note_worker(marker: str, pause: float) -> int:
    """Notes which worker process ran it, after a pause (so several workers share a batch)."""
    import os

    time.sleep(pause)
    _note(marker, str(os.getpid()))
    return os.getpid()
