"""What the database says when it is busy: a lock not granted in time, which waiting and trying again resolves."""

from django.db import OperationalError

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
