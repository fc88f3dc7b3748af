"""Projections of scenario statements: attempts (path, score, alignment, value profile) and choice counts.

The live path (``apply_statement``, inside the transaction that stores each
statement) and the rebuild share ``project_attempt``; the numbers come from
``scoring.attempt_score`` over the path, so both always agree.

Which statements are ours: verb attempted/completed on our scenario activity
type, or answered on a cmi.interaction, carrying the scenario-version extension.
"""

import heapq
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from kizuna.records import vocab as records_vocab
from kizuna.records.projections import rebuild_in_passes, statements_in_order

from . import vocab
from .models import Attempt, NodeChoiceCount, ScenarioVersion
from .scoring import Graph, attempt_score

ATTEMPT_FIELDS = (
    "registration",
    "rep_id",
    "partner_id",
    "version_id",
    "lesson_id",
    "started_at",
    "last_activity_at",
    "finished_at",
    "current_node",
    "path",
    "step_ids",
    "score_raw",
    "score_min",
    "score_max",
    "score_scaled",
    "outcome",
    "alignment",
    "reference_steps",
    "reference_matches",
    "value_profile",
)
COUNT_FIELDS = ("version_id", "node_key", "choice_key", "partner_id", "count")

_VERBS = {vocab.ATTEMPTED.iri, records_vocab.ANSWERED.iri, records_vocab.COMPLETED.iri}


def _version_id(st: Any) -> int | None:
    """The scenario version a statement is about, or None when it is not one of ours."""
    if st.verb not in _VERBS:
        return None
    if st.object_type not in (vocab.TYPE_SCENARIO.iri, vocab.TYPE_INTERACTION.iri):
        return None
    value = (st.context or {}).get("extensions", {}).get(vocab.EXT_SCENARIO_VERSION.iri)
    return value if isinstance(value, int) else None


def project_attempt(attempt: Attempt | None, st: Any, graph: Graph, version_id: int) -> Attempt | None:
    """Apply one scenario statement to its attempt (None before the attempt started); return the attempt."""
    registration = (st.context or {}).get("registration")
    if registration is None:
        return attempt
    if st.verb == vocab.ATTEMPTED.iri:
        if attempt is not None:
            return attempt
        return Attempt(
            registration=registration,
            rep_id=st.actor_id,
            partner_id=st.partner_id,
            version_id=version_id,
            lesson_id=st.lesson_id,
            started_at=st.timestamp,
            last_activity_at=st.timestamp,
            current_node=graph.start,
            path=[],
            step_ids=[],
            value_profile={},
        )
    if attempt is None:
        return None
    attempt.last_activity_at = max(attempt.last_activity_at, st.timestamp)
    if st.verb == records_vocab.ANSWERED.iri:
        node_key = st.context.get("extensions", {}).get(vocab.EXT_NODE.iri)
        choice_key = (st.result or {}).get("response")
        if graph.choice(node_key, choice_key) is None or str(st.id) in attempt.step_ids:
            return attempt
        attempt.path = [*attempt.path, [node_key, choice_key]]
        attempt.step_ids = [*attempt.step_ids, str(st.id)]
        score = attempt_score(graph, attempt.path)
        attempt.current_node = score.current_node
        attempt.score_raw, attempt.score_min, attempt.score_max = score.raw, score.min, score.max
        attempt.score_scaled = score.scaled
        attempt.outcome = score.outcome
        attempt.alignment = score.alignment
        attempt.reference_steps, attempt.reference_matches = score.reference_steps, score.reference_matches
        attempt.value_profile = score.value_profile
    elif st.verb == records_vocab.COMPLETED.iri and attempt.finished_at is None:
        attempt.finished_at = st.timestamp
    return attempt


def _count_key(st: Any, version_id: int) -> tuple[int, str, str, int] | None:
    """The (version, node, choice, partner) an answered statement counts for; the principal's own plays do not count."""
    if st.verb != records_vocab.ANSWERED.iri or st.partner_id is None:
        return None
    node_key = st.context.get("extensions", {}).get(vocab.EXT_NODE.iri)
    choice_key = (st.result or {}).get("response")
    if not isinstance(node_key, str) or not isinstance(choice_key, str):
        return None
    return (version_id, node_key, choice_key, st.partner_id)


def apply_statement(st: Any) -> None:
    """Apply one newly stored statement (ignores, cheaply, those that are not about a scenario)."""
    version_id = _version_id(st)
    if version_id is None:
        return
    graph_data = ScenarioVersion.objects.filter(pk=version_id).values_list("graph", flat=True).first()
    if graph_data is None:
        return
    graph = Graph(graph_data)
    registration = st.context.get("registration")
    attempt = Attempt.objects.select_for_update().filter(registration=registration).first()
    before = list(attempt.step_ids) if attempt is not None else None
    updated = project_attempt(attempt, st, graph, version_id)
    if updated is None:
        return
    updated.save()
    key = _count_key(st, version_id)
    if key is not None and len(updated.step_ids) > len(before or []):
        _count_increment(*key)


def _count_increment(version_id: int, node_key: str, choice_key: str, partner_id: int) -> None:
    rows = NodeChoiceCount.objects.filter(
        version_id=version_id, node_key=node_key, choice_key=choice_key, partner_id=partner_id
    )
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            NodeChoiceCount.objects.create(
                version_id=version_id, node_key=node_key, choice_key=choice_key, partner_id=partner_id, count=1
            )
    except IntegrityError:
        # Another transaction created the row between our update and insert.
        rows.update(count=F("count") + 1)


def _scenario_statements(actors: list[int] | None = None) -> Any:
    by_scenario = statements_in_order(
        verbs=[vocab.ATTEMPTED.iri, records_vocab.COMPLETED.iri], object_type=vocab.TYPE_SCENARIO.iri, actors=actors
    )
    by_interaction = statements_in_order(
        verbs=[records_vocab.ANSWERED.iri], object_type=vocab.TYPE_INTERACTION.iri, actors=actors
    )
    return heapq.merge(by_scenario, by_interaction, key=lambda st: st.seq)


_Counts = dict[tuple[int, str, str, int], int]


def _derive(actors: list[int] | None) -> tuple[dict[str, Attempt], _Counts]:
    """The attempts and choice counts of the statements (of these reps, or everybody's), in memory."""
    graphs: dict[int, Graph | None] = {}
    attempts: dict[str, Attempt] = {}
    counts: _Counts = {}
    for st in _scenario_statements(actors):
        version_id = _version_id(st)
        if version_id is None:
            continue
        if version_id not in graphs:
            data = ScenarioVersion.objects.filter(pk=version_id).values_list("graph", flat=True).first()
            graphs[version_id] = Graph(data) if data is not None else None
        graph = graphs[version_id]
        registration = st.context.get("registration")
        if graph is None or registration is None:
            continue
        attempt = attempts.get(registration)
        steps_before = len(attempt.step_ids) if attempt is not None else 0
        updated = project_attempt(attempt, st, graph, version_id)
        if updated is None:
            continue
        attempts[registration] = updated
        key = _count_key(st, version_id)
        if key is not None and len(updated.step_ids) > steps_before:
            counts[key] = counts.get(key, 0) + 1
    return attempts, counts


def _counts_write(counts: _Counts, batch_size: int) -> None:
    NodeChoiceCount.objects.bulk_create(
        [
            NodeChoiceCount(version_id=v, node_key=n, choice_key=c, partner_id=p, count=count)
            for (v, n, c, p), count in counts.items()
        ],
        batch_size=batch_size,
    )


def rebuild(*, batch_size: int = 5000) -> int:
    """Throw attempts and choice counts away and derive them again from the statements; return the row count."""
    Attempt.objects.all().delete()
    NodeChoiceCount.objects.all().delete()
    attempts, counts = _derive(None)
    Attempt.objects.bulk_create(attempts.values(), batch_size=batch_size)
    _counts_write(counts, batch_size)
    return len(attempts) + len(counts)


def rebuild_partner(partner_id: int, rep_ids: list[int]) -> int:
    """A partner's rebuild: its reps' attempts, and the agency's choice counts, from all their statements.

    Every statement counted for the agency is one of its reps' (a rep sends for their agency), so summing the
    passes' counts for this agency gives a full rebuild's rows; other agencies' counts stay as they are.
    """
    counts: _Counts = {}

    def one_pass(group: list[int]) -> int:
        Attempt.objects.filter(rep_id__in=group).delete()
        attempts, group_counts = _derive(group)
        Attempt.objects.bulk_create(attempts.values(), batch_size=5000)
        for key, count in group_counts.items():
            if key[3] == partner_id:
                counts[key] = counts.get(key, 0) + count
        return len(attempts)

    made = rebuild_in_passes(rep_ids, one_pass)
    NodeChoiceCount.objects.filter(partner_id=partner_id).delete()
    _counts_write(counts, 5000)
    return made + len(counts)
