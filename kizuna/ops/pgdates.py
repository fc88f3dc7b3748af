"""PostgreSQL timestamps read by psycopg's C loader.

Django (5.2) reads every ``timestamptz`` through a loader of its own, a subclass of psycopg's pure-Python
``TimestamptzLoader`` that swaps in the connection's time zone afterwards. psycopg's binary package has the same
loader in C, and with the connection in UTC (Django's setting with ``USE_TZ`` and no database ``TIME_ZONE``) it
gives the very same values (``datetime.timezone.utc``). A partner's dashboard reads ~2,800 timestamps per
request: 30 ms of CPU for 6,000 through Django's loader, 2 ms through the C one (bench/README.md). Here each new
connection gets the C loader with the ``timezone`` attribute Django's cursor checks; anywhere else (another time
zone, no C package) Django's own loader stays.
"""

from datetime import UTC
from typing import Any


def _c_loader() -> Any:
    try:
        from psycopg import adapters, postgres, pq
        from psycopg.adapt import Loader
    except ImportError:  # SQLite-only installs
        return None
    c_loader: Any = adapters.get_loader(postgres.types["timestamptz"].oid, pq.Format.TEXT)
    if c_loader is None or not c_loader.__module__.startswith("psycopg_binary"):
        return None

    class UtcTimestamptzLoader(Loader):
        """psycopg's C loader (a final class, so wrapped: its bound `load` is what psycopg calls)."""

        timezone = UTC  # what Django's cursor compares with its own (django.db.backends.postgresql.base)

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._c = c_loader(oid, context)
            self.load = self._c.load  # type: ignore[method-assign]

        def load(self, data: Any) -> Any:
            return self._c.load(data)

    return UtcTimestamptzLoader


_LOADER = _c_loader()


def use_c_timestamp_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: read timestamps with psycopg's C loader where it gives Django's values."""
    if _LOADER is None or connection.vendor != "postgresql" or connection.timezone is not UTC:
        return
    if getattr(connection.connection, "adapters", None) is None:
        return
    connection.connection.adapters.register_loader("timestamptz", _LOADER)
