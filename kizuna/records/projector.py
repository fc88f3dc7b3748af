"""The background projector: applies stored statements to the deferred projections, in batches, exactly once.

A statement is stored with a row in the queue (``PendingStatement``) in the same transaction; the projector
takes the oldest queued statements in stored order, applies them and deletes their queue rows in one short
transaction. A projector killed mid-batch leaves its transaction uncommitted, so the batch is simply taken
again. One projector works at a time (a PostgreSQL advisory lock; SQLite's write lock on the embedded default),
so statements are applied in the order they were stored.

A statement that makes a projection fail is isolated from its batch, retried a few times, then kept with its
error (``pending_failures``) instead of blocking everything behind it.
"""

import logging
import time
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet

from kizuna.ops.repcache import rep_changed

from .models import PendingStatement, Statement
from .projections import apply_deferred

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Any stable 64-bit number: the key of the projector's advisory lock on PostgreSQL.
_LOCK_KEY = 7_310_233_452_001


def _take_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def drain_once(*, limit: int = 500, max_seconds: float | None = None) -> int:
    """Project the oldest queued statements in one transaction; return how many were taken off the queue.

    ``max_seconds`` bounds the time the batch holds its transaction (on SQLite, the write lock every request
    waits for): the statements applied by then are committed, the rest stay queued for the next batch.
    """
    budget = settings.PROJECTOR_BATCH_SECONDS if max_seconds is None else max_seconds
    with transaction.atomic():
        _take_lock()
        queued = list(
            PendingStatement.objects.filter(attempts__lt=MAX_ATTEMPTS)
            .order_by("seq")
            .values_list("seq", "stored")[:limit]
        )
        if not queued:
            return 0
        seqs = [seq for seq, _stored in queued]
        statements = list(_queued_statements(queued))
        started = time.monotonic()
        done: list[int] = []
        chunk = 25
        for start in range(0, len(statements), chunk):
            part = statements[start : start + chunk]
            try:
                with transaction.atomic():
                    apply_deferred(part)
                done.extend(st.seq for st in part)
            except Exception:  # noqa: BLE001 — isolate the statement that fails, keep the others
                done.extend(_apply_one_by_one(part))
            if time.monotonic() - started > budget:
                break
        # Queue rows without a statement (it was erased) are done too.
        found = {st.seq for st in statements}
        done.extend(seq for seq in seqs if seq not in found)
        PendingStatement.objects.filter(seq__in=done).delete()
        # Their points, streaks and days changed: what their pages keep is recomputed (after the commit).
        rep_changed(*{st.actor_id for st in statements})
    return len(done)


def _queued_statements(queued: list[tuple[int, datetime | None]]) -> QuerySet[Statement]:
    """The statements of these queue rows, in stored order: on PostgreSQL from the months they were stored in
    only (usually the current one), as the queue rows keep their `stored`."""
    statements = Statement.objects.filter(seq__in=[seq for seq, _stored in queued])
    moments = [stored for _seq, stored in queued]
    if None not in moments:
        statements = statements.filter(stored__gte=min(moments), stored__lte=max(moments))  # type: ignore[type-var]
    return statements.order_by("seq")


def _apply_one_by_one(statements: list[Statement]) -> list[int]:
    """Apply each statement in its own savepoint; count a failure against the ones that fail."""
    done = []
    for st in statements:
        try:
            with transaction.atomic():
                apply_deferred([st])
            done.append(st.seq)
        except Exception as error:  # noqa: BLE001 — one statement's failure must not stop the others
            logger.exception("projecting statement %s failed", st.seq)
            PendingStatement.objects.filter(seq=st.seq).update(
                attempts=F("attempts") + 1, error=f"{type(error).__name__}: {error}"[:2000]
            )
    return done


def drain(*, limit: int = 500) -> int:
    """Project everything queued now (commands and tests call it); return how many statements were projected."""
    total = 0
    while True:
        taken = drain_once(limit=limit, max_seconds=float("inf"))
        if not taken:
            return total
        total += taken


def pending_failures() -> list[PendingStatement]:
    """Statements the projector gave up on, with their error (``rebuild_projections`` derives them again)."""
    return list(PendingStatement.objects.filter(attempts__gte=MAX_ATTEMPTS).order_by("seq"))
