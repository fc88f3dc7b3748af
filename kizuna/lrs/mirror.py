"""Kizuna's own statements, served by the LRS exactly as the records app stores them.

Every statement the platform records (a lesson completed, a quiz answered…) is copied into the LRS's store by a
job that runs every minute, so that `GET /xapi/statements` answers with them next to what other systems sent,
with the same filters, paging and partner scoping (a partner's credential sees its own reps' statements).

A statement is copied once it has settled: stored more than `SETTLE` ago, so that its transaction has committed
(writes are short). Rows are read by their position in the records table; a transaction that commits late can
leave a gap behind the cursor, so each pass looks back `LOOKBACK` positions and copies what it missed: a
statement copied already (or sent to the LRS under the same id) is skipped. `X-Experience-API-Consistent-Through`
is the moment before which every own statement is in the store.
"""

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kizuna.records.selectors import statements_after
from kizuna.records.services import statement_to_xapi

from .models import LrsMirror, LrsStatement
from .statements import VOIDED, statement_rows_insert

SETTLE = timedelta(seconds=30)
LOOKBACK = 2000
BATCH = 1000


def _state() -> LrsMirror:
    state, _created = LrsMirror.objects.get_or_create(pk=1)
    return state


def own_statements_mirror(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Copy one batch of settled own statements into the store; return how many were copied."""
    now = now or timezone.now()
    horizon = now - SETTLE
    with transaction.atomic():
        state = LrsMirror.objects.select_for_update().filter(pk=1).first() or _state()
        # Everything stored before `through` is in the store: the months before it are not read again.
        rows = statements_after(
            seq=max(state.last_seq - LOOKBACK, 0), limit=LOOKBACK + batch, stored_since=state.through
        )
        settled = []
        for row in rows:
            if row.stored >= horizon:
                break  # not settled: this pass stops here, the cursor with it
            settled.append(row)
        ids = [row.id for row in settled]
        have = set(LrsStatement.objects.filter(statement_id__in=ids).values_list("statement_id", flat=True))
        new = [row for row in settled if row.id not in have]
        copies = []
        for row in new:
            data = statement_to_xapi(row)
            refers_to = uuid.UUID(row.object_iri) if row.object_type == "StatementRef" else None
            copies.append(
                LrsStatement(
                    statement_id=row.id,
                    data=data,
                    partner_id=row.partner_id,
                    credential=None,
                    verb=row.verb,
                    registration=(row.context or {}).get("registration"),
                    stored=row.stored,
                    refers_to=refers_to,
                    voids=refers_to if row.verb == VOIDED else None,
                )
            )
        statement_rows_insert(copies)
        voided = [copy.voids for copy in copies if copy.voids is not None]
        if voided:
            LrsStatement.objects.filter(statement_id__in=voided).update(voided=True)
        if settled:
            state.last_seq = max(state.last_seq, settled[-1].seq)
        if len(rows) < LOOKBACK + batch:  # read to the end of the table: consistent up to what still waits
            state.through = min([horizon, *(row.stored for row in rows[len(settled) :])])
        state.save()
    return len(copies)


def own_statements_mirror_all(*, now: datetime | None = None, budget_seconds: float = 50.0) -> int:
    """Copy batches until caught up or the budget is spent (the next run goes on); return how many were copied."""
    start = timezone.now()
    copied = 0
    while True:
        done = own_statements_mirror(now=now)
        copied += done
        if done == 0 or (timezone.now() - start).total_seconds() > budget_seconds:
            return copied
