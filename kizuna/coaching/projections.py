"""The roleplay results projection: each rep's best result per roleplay, from PASSED/FAILED statements."""

import uuid

from kizuna.records import vocab as records_vocab
from kizuna.records.models import Statement
from kizuna.records.projections import rebuild_in_passes, statements_in_order

from . import vocab
from .models import Roleplay, RoleplayResult

_VERBS = (records_vocab.PASSED.iri, records_vocab.FAILED.iri)


def _roleplay_id(st: Statement, cache: dict[str, int | None]) -> int | None:
    if st.object_iri not in cache:
        try:
            key = uuid.UUID(st.object_iri.rstrip("/").rsplit("/", 1)[-1])
        except ValueError:
            cache[st.object_iri] = None
        else:
            cache[st.object_iri] = Roleplay.objects.filter(key=key).values_list("pk", flat=True).first()
    return cache[st.object_iri]


def project_result(row: RoleplayResult | None, st: Statement, roleplay_id: int) -> RoleplayResult:
    """Apply one result statement: count the attempt, keep the best score, remember the first pass."""
    if row is None:
        row = RoleplayResult(rep_id=st.actor_id, roleplay_id=roleplay_id, last_at=st.timestamp)
    scaled = float(((st.result or {}).get("score") or {}).get("scaled") or 0.0)
    row.attempts += 1
    row.best_score = max(row.best_score, scaled)
    row.last_at = max(row.last_at, st.timestamp)
    if st.verb == records_vocab.PASSED.iri:
        row.passed = True
        row.passed_at = st.timestamp if row.passed_at is None else min(row.passed_at, st.timestamp)
    return row


def _is_ours(st: Statement) -> bool:
    return st.verb in _VERBS and st.object_type == vocab.TYPE_ROLEPLAY.iri


def apply_statement(st: Statement) -> None:
    if not _is_ours(st):
        return
    roleplay_id = _roleplay_id(st, {})
    if roleplay_id is None:
        return
    row = RoleplayResult.objects.filter(rep_id=st.actor_id, roleplay_id=roleplay_id).first()
    project_result(row, st, roleplay_id).save()


def rebuild() -> int:
    RoleplayResult.objects.all().delete()
    return _derive(None)


def rebuild_reps(rep_ids: list[int]) -> int:
    """Derive these reps' roleplay results again from all their statements (a partner's rebuild)."""

    def one_pass(group: list[int]) -> int:
        RoleplayResult.objects.filter(rep_id__in=group).delete()
        return _derive(group)

    return rebuild_in_passes(rep_ids, one_pass)


def _derive(actors: list[int] | None) -> int:
    rows: dict[tuple[int, int], RoleplayResult] = {}
    cache: dict[str, int | None] = {}
    for st in statements_in_order(verbs=_VERBS, object_type=vocab.TYPE_ROLEPLAY.iri, actors=actors):
        roleplay_id = _roleplay_id(st, cache)
        if roleplay_id is None:
            continue
        key = (st.actor_id, roleplay_id)
        rows[key] = project_result(rows.get(key), st, roleplay_id)
    RoleplayResult.objects.bulk_create(rows.values(), batch_size=2000)
    return len(rows)
