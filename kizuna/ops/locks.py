"""Short write transactions that survive a busy database: a lock timeout is retried a few times, then raised.

SQLite has one writer at a time; a writer that waits longer than the busy timeout (15 s) gets
"database is locked". Long imports write in short batches through this, so one slow moment of
another writer costs a retry, not the import (issue 12).
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)
T = TypeVar("T")

LOCK_RETRIES = 6
LOCK_BACKOFF_SECONDS = 0.2  # doubled after each try: 0.2 + 0.4 + … ≈ 6 s in all


# SQLite's busy timeout; PostgreSQL's lock_not_available (55P03), deadlock_detected (40P01), serialization_failure.
_SQLITE_BUSY = ("database is locked", "database table is locked")
_PG_RETRYABLE = {"55P03", "40P01", "40001"}


def is_lock_timeout(error: BaseException) -> bool:
    """Whether the error is the database refusing a lock in time (worth retrying), not a real failure."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__ or error
    if getattr(cause, "sqlstate", None) in _PG_RETRYABLE:
        return True
    return any(text in str(error) for text in _SQLITE_BUSY)


def atomic_with_lock_retries(write: Callable[[], T], *, what: str = "write", retries: int | None = None) -> T:
    """Run ``write`` in its own transaction; a lock timeout is retried with a growing pause, at most ``retries``."""
    attempts = retries if retries is not None else LOCK_RETRIES
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return write()
        except OperationalError as exc:
            if attempt == attempts - 1 or not is_lock_timeout(exc):
                raise
            logger.warning("%s: %s; retry %s of %s", what, exc, attempt + 1, attempts - 1)
            time.sleep(LOCK_BACKOFF_SECONDS * 2**attempt)
    raise AssertionError("unreachable")
