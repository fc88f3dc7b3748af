"""The receipts projection: per rep and update, when they first saw it, how they answered, when they acknowledged.

One pure rule (``receipt_project``) serves the live path (each new statement, the
row from the database) and the rebuild (every statement in order, rows in memory).
Statements name the update by its activity IRI (``…/xapi/activities/flash-update/<key>``,
the check question adds ``/question``); the first answer and the first
acknowledgement count, later ones change nothing.
"""

import re
import uuid
from collections.abc import Iterable

from kizuna.records import vocab as records_vocab
from kizuna.records.models import Statement
from kizuna.records.projections import rebuild_in_passes, statements_in_order

from . import vocab
from .models import FlashUpdate, Receipt

_IRI = re.compile(r"/xapi/activities/flash-update/([0-9a-f-]{36})(/question)?$")
OUR_VERBS = (vocab.EXPERIENCED.iri, vocab.ACKNOWLEDGED.iri, records_vocab.ANSWERED.iri)
OUR_TYPES = (vocab.TYPE_FLASH_UPDATE.iri, vocab.TYPE_INTERACTION.iri)

RECEIPT_FIELDS = (
    "update_id",
    "rep_id",
    "partner_id",
    "seen_at",
    "answered_at",
    "answer",
    "answer_correct",
    "acknowledged_at",
)


def update_key_of(st: Statement) -> uuid.UUID | None:
    """Return the key of the flash update a statement is about, or None when it is not one of ours."""
    if st.verb not in OUR_VERBS or st.object_type not in OUR_TYPES:
        return None
    match = _IRI.search(st.object_iri)
    if match is None:
        return None
    return uuid.UUID(match.group(1))


def _option_of(st: Statement) -> int | None:
    response = str((st.result or {}).get("response", ""))
    if not response.startswith("option-"):
        return None
    try:
        return int(response.removeprefix("option-"))
    except ValueError:
        return None


def receipt_project(row: Receipt | None, st: Statement, *, update_id: int) -> Receipt:
    """Apply one of our statements to a rep's receipt of an update (None: they had none yet)."""
    if row is None:
        row = Receipt(update_id=update_id, rep_id=st.actor_id, partner_id=st.partner_id, seen_at=st.timestamp)
    # Answering or acknowledging means the rep has seen it, even if the page view was never recorded.
    row.seen_at = min(row.seen_at, st.timestamp)
    if st.verb == records_vocab.ANSWERED.iri and row.answered_at is None:
        row.answered_at = st.timestamp
        row.answer = _option_of(st)
        row.answer_correct = bool((st.result or {}).get("success"))
    elif st.verb == vocab.ACKNOWLEDGED.iri and row.acknowledged_at is None:
        row.acknowledged_at = st.timestamp
    return row


def receipt_apply(st: Statement) -> None:
    """Live path: apply a newly stored statement (ignores everything that is not about a flash update)."""
    key = update_key_of(st)
    if key is None:
        return
    update_id = FlashUpdate.objects.filter(key=key).values_list("pk", flat=True).first()
    if update_id is None:
        return
    row = Receipt.objects.select_for_update().filter(update_id=update_id, rep_id=st.actor_id).first()
    receipt_project(row, st, update_id=update_id).save()


def replay(statements: Iterable[Statement]) -> dict[tuple[int, int], Receipt]:
    """Derive the receipts of the statements (in stored order) in memory, writing nothing."""
    ids = dict(FlashUpdate.objects.values_list("key", "pk"))
    rows: dict[tuple[int, int], Receipt] = {}
    for st in statements:
        key = update_key_of(st)
        if key is None or key not in ids:
            continue
        rkey = (ids[key], st.actor_id)
        rows[rkey] = receipt_project(rows.get(rkey), st, update_id=ids[key])
    return rows


def rebuild() -> int:
    """Throw the receipts away and derive them again from the statements; return how many there are."""
    Receipt.objects.all().delete()
    rows = replay(statements_in_order(verbs=OUR_VERBS))
    Receipt.objects.bulk_create(rows.values(), batch_size=5000)
    return len(rows)


def rebuild_reps(rep_ids: list[int]) -> int:
    """Derive these reps' receipts again from all their statements (a partner's rebuild)."""

    def one_pass(group: list[int]) -> int:
        Receipt.objects.filter(rep_id__in=group).delete()
        rows = replay(statements_in_order(verbs=OUR_VERBS, actors=group))
        Receipt.objects.bulk_create(rows.values(), batch_size=5000)
        return len(rows)

    return rebuild_in_passes(rep_ids, one_pass)
