"""Bulk plays of one scenario for bench/scenarios.py: statements and projection rows streamed in with COPY.

The statements are shaped from the ones the real services wrote for one play (``capture_templates``); the
attempts come from ``scoring.attempt_score``, the rule the live projection uses; ``verify`` replays a sample with
the app's ``project_attempt`` and compares the choice counts with a SQL count of the answered statements.
"""

from __future__ import annotations

import json
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from load import log

PLAY_PARTNER = "bench-scn-play"  # bench/scenarios.py's own partner for the step benchmark: never a player here
DAYS = 60  # the plays spread over this many days before now
GIVE_UP = 0.08  # share of plays left half-way


@dataclass
class Templates:
    """One play's statements as the real services wrote them, to shape the generated ones alike."""

    attempted: dict[str, Any]
    answered: dict[str, Any]
    completed: dict[str, Any]
    columns: list[str]


def capture_templates(version: Any, rep: Any) -> Templates:
    """Play the top rep's path once through the services, keep the rows, and roll the play back."""
    from django.db import transaction

    from kizuna.records.models import Statement
    from kizuna.scenarios.scoring import Graph, reference_path
    from kizuna.scenarios.services import attempt_start, choice_make

    class Rollback(Exception):
        pass

    graph = Graph(version.graph)
    rows: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            registration = attempt_start(rep=rep, version=version)
            for node, choice in reference_path(graph):
                choice_make(
                    rep=rep,
                    registration=registration,
                    node_key=node,
                    choice=choice,
                    statement_id=uuid.uuid4(),
                    seconds=42,
                )
            rows = list(Statement.objects.filter(context__registration=str(registration)).order_by("seq").values())
            raise Rollback
    except Rollback:
        pass
    columns = [f.column for f in Statement._meta.concrete_fields if f.column != "seq"]
    verbs = [row["verb"].rsplit("/", 1)[-1] for row in rows]
    assert verbs[0] == "attempted" and verbs[-1] == "completed" and set(verbs[1:-1]) == {"answered"}, verbs
    return Templates(attempted=rows[0], answered=rows[1], completed=rows[-1], columns=columns)


@dataclass
class Plan:
    """Who plays: every rep of the 20 partners, and each partner's habits (how often it follows the top rep)."""

    reps: list[tuple[int, int]]  # (user id, partner id)
    chance: dict[int, float]  # partner id -> chance of the top rep's choice
    habits: dict[tuple[int, str], tuple[str, float]]  # (partner id, node) -> (choice, chance)


def plan_players() -> Plan:
    from kizuna.orgs.models import Membership, Organization

    partners = list(
        Organization.objects.filter(kind="partner")
        .exclude(slug=PLAY_PARTNER)
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    reps = list(
        Membership.objects.filter(role="rep", organization_id__in=partners, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", "organization_id")
    )
    n = max(len(partners) - 1, 1)
    chance = {pk: round(0.85 - 0.5 * i / n, 3) for i, pk in enumerate(partners)}
    habits: dict[tuple[int, str], tuple[str, float]] = {}
    for i, pk in enumerate(partners):
        if i >= len(partners) * 3 // 4:
            habits[pk, "opening"] = ("apologize-first", 0.6)  # the last quarter apologises first
        elif len(partners) // 4 <= i < len(partners) // 2:
            habits[pk, "details"] = ("send-manual", 0.5)  # the second quarter sends the manual
    return Plan(reps=reps, chance=chance, habits=habits)


def walk(graph: Any, partner_id: int, plan: Plan, rng: random.Random) -> list[tuple[str, str]]:
    path: list[tuple[str, str]] = []
    key = graph.start
    while not graph.is_end(key):
        choices = graph.node(key)["choices"]
        reference = graph.reference_choice(key)
        habit = plan.habits.get((partner_id, key))
        if reference is not None and len(path) >= 12:
            chosen = reference
        elif habit is not None and rng.random() < habit[1]:
            chosen = graph.choices[key][habit[0]]
        elif reference is not None and rng.random() < plan.chance[partner_id]:
            chosen = reference
        else:
            chosen = rng.choice([c for c in choices if reference is None or c["key"] != reference["key"]])
        path.append((key, chosen["key"]))
        key = chosen["next"]
    if rng.random() < GIVE_UP and len(path) > 1:
        path = path[: rng.randint(1, len(path) - 1)]
    return path


class Generator:
    """Make the rows of n plays: statements (in time order), attempts and choice counts."""

    def __init__(self, *, version: Any, templates: Templates, plan: Plan, seed: int) -> None:
        from django.conf import settings

        from kizuna.records import vocab as records_vocab
        from kizuna.scenarios import vocab
        from kizuna.scenarios.scoring import Graph
        from kizuna.scenarios.selectors import node_iri

        self.version = version
        self.graph = Graph(version.graph)
        self.t = templates
        self.plan = plan
        self.rng = random.Random(seed)
        self.node_iris = {key: node_iri(version, key) for key in self.graph.nodes}
        self.partner_ext = records_vocab.EXT_PARTNER.iri
        self.v = vocab
        self.language = settings.LANGUAGE_CODE
        self.counts: Counter[tuple[str, str, int]] = Counter()

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _row(self, template: dict[str, Any], **values: Any) -> list[Any]:
        row = {**template, **values}
        out = []
        for column in self.t.columns:
            value = row[column]
            if isinstance(value, dict | list):
                value = json.dumps(value, ensure_ascii=False)
            out.append(value)
        return out

    def _context(self, template: dict[str, Any], registration: str, partner_id: int, **extensions: Any) -> dict:
        context = json.loads(json.dumps(template["context"]))
        context["registration"] = registration
        context["language"] = self.language
        context["extensions"].update({self.partner_ext: partner_id, **extensions})
        return context

    def plays(self, n: int, *, now: datetime) -> tuple[list[list[Any]], list[list[Any]]]:
        """Return (statement rows, attempt rows) of n new plays, in time order."""
        from kizuna.records.services import format_duration
        from kizuna.scenarios.projections import ATTEMPT_FIELDS
        from kizuna.scenarios.scoring import attempt_score, step_score

        starts = sorted(now - timedelta(seconds=self.rng.uniform(600, DAYS * 86400)) for _ in range(n))
        statements: list[list[Any]] = []
        attempts: list[list[Any]] = []
        for started in starts:
            rep_id, partner_id = self.rng.choice(self.plan.reps)
            path = walk(self.graph, partner_id, self.plan, self.rng)
            registration = str(self._uuid())
            statements.append(
                self._row(
                    self.t.attempted,
                    id=self._uuid(),
                    actor_id=rep_id,
                    partner_id=partner_id,
                    context=self._context(self.t.attempted, registration, partner_id),
                    timestamp=started,
                    stored=started,
                )
            )
            moment = started
            step_ids = []
            for node_key, choice_key in path:
                seconds = self.rng.randint(20, 120)
                moment += timedelta(seconds=seconds + 5)
                step = step_score(self.graph, node_key, choice_key)
                statement_id = self._uuid()
                step_ids.append(str(statement_id))
                node = self.graph.node(node_key)
                statements.append(
                    self._row(
                        self.t.answered,
                        id=statement_id,
                        actor_id=rep_id,
                        partner_id=partner_id,
                        object_iri=self.node_iris[node_key],
                        object_name={"ja-JP": (node.get("text") or node_key)[:200]},
                        result={"response": choice_key, "score": step.as_xapi(), "duration": format_duration(seconds)},
                        duration_seconds=float(seconds),
                        context=self._context(
                            self.t.answered,
                            registration,
                            partner_id,
                            **{
                                self.v.EXT_NODE.iri: node_key,
                                self.v.EXT_REFERENCE_MATCH.iri: step.reference_match,
                                self.v.EXT_VALUE_TAGS.iri: list(step.value_tags),
                            },
                        ),
                        timestamp=moment,
                        stored=moment,
                    )
                )
                self.counts[node_key, choice_key, partner_id] += 1
            score = attempt_score(self.graph, path)
            finished = moment if score.finished else None
            if finished is not None:
                statements.append(
                    self._row(
                        self.t.completed,
                        id=uuid.uuid5(uuid.UUID(step_ids[-1]), "completed"),
                        actor_id=rep_id,
                        partner_id=partner_id,
                        result={
                            "score": score.as_xapi(),
                            "completion": True,
                            "success": score.outcome != "lost",
                            "extensions": {
                                self.v.EXT_OUTCOME.iri: score.outcome,
                                self.v.EXT_ALIGNMENT.iri: score.alignment,
                            },
                        },
                        context=self._context(self.t.completed, registration, partner_id),
                        timestamp=moment,
                        stored=moment,
                    )
                )
            values = {
                "registration": registration,
                "rep_id": rep_id,
                "partner_id": partner_id,
                "version_id": self.version.pk,
                "lesson_id": None,
                "started_at": started,
                "last_activity_at": moment,
                "finished_at": finished,
                "current_node": score.current_node,
                "path": json.dumps([list(step) for step in path]),
                "step_ids": json.dumps(step_ids),
                "score_raw": score.raw,
                "score_min": score.min,
                "score_max": score.max,
                "score_scaled": score.scaled,
                "outcome": score.outcome,
                "alignment": score.alignment,
                "reference_steps": score.reference_steps,
                "reference_matches": score.reference_matches,
                "value_profile": json.dumps(score.value_profile),
            }
            attempts.append([values[f] for f in ATTEMPT_FIELDS])
        return statements, attempts


def check_attempt_columns() -> None:
    from kizuna.scenarios.models import Attempt
    from kizuna.scenarios.projections import ATTEMPT_FIELDS

    columns = {f.column for f in Attempt._meta.concrete_fields} - {"id"}
    if columns != set(ATTEMPT_FIELDS):
        sys.exit(f"scenarios_attempt changed ({sorted(columns ^ set(ATTEMPT_FIELDS))}): update bench/scenarios.py")


CHUNK = 5000  # plays generated and copied at a time: memory stays flat whatever the number of plays


def bulk_write(gen: Generator, n: int, *, now: datetime) -> dict[str, Any]:
    """Generate n plays and COPY them in, a chunk at a time; rewrite the version's choice counts; ANALYZE."""
    from datagen.bulkload import connect

    from kizuna.scenarios.projections import ATTEMPT_FIELDS

    generated = copied = 0.0
    n_statements = n_attempts = 0
    with connect() as conn, conn.cursor() as cur:
        for first in range(0, n, CHUNK):
            t0 = time.monotonic()
            statements, attempts = gen.plays(min(CHUNK, n - first), now=now)
            t1 = time.monotonic()
            with cur.copy(f"COPY records_statement ({', '.join(gen.t.columns)}) FROM STDIN") as copy:
                for row in statements:
                    copy.write_row(row)
            with cur.copy(f"COPY scenarios_attempt ({', '.join(ATTEMPT_FIELDS)}) FROM STDIN") as copy:
                for row in attempts:
                    copy.write_row(row)
            generated += t1 - t0
            copied += time.monotonic() - t1
            n_statements += len(statements)
            n_attempts += len(attempts)
        cur.execute("DELETE FROM scenarios_nodechoicecount WHERE version_id = %s", [gen.version.pk])
        with cur.copy(
            "COPY scenarios_nodechoicecount (version_id, node_key, choice_key, partner_id, count) FROM STDIN"
        ) as copy:
            for (node, choice, partner), count in gen.counts.items():
                copy.write_row([gen.version.pk, node, choice, partner, count])
    with connect() as conn:
        conn.autocommit = True
        for table in ("records_statement", "scenarios_attempt", "scenarios_nodechoicecount"):
            conn.execute(f"ANALYZE {table}")
    log(
        f"distribution: {n:,} plays = {n_statements:,} statements and {n_attempts:,} attempts "
        f"(generated in {generated:.0f} s, copied in {copied:.0f} s)"
    )
    return {"plays": n, "statements": n_statements, "generate_s": round(generated, 1), "copy_s": round(copied, 1)}


def verify(version: Any, sample: int, rng: random.Random) -> dict[str, Any]:
    """Replay sampled attempts from their statements with the app's projection code; count choices in SQL."""
    from django.db import connection

    from kizuna.records.models import Statement
    from kizuna.scenarios import vocab
    from kizuna.scenarios.models import Attempt, NodeChoiceCount
    from kizuna.scenarios.projections import ATTEMPT_FIELDS, project_attempt
    from kizuna.scenarios.scoring import Graph

    graph = Graph(version.graph)
    ids = list(Attempt.objects.filter(version=version).values_list("pk", flat=True))
    wrong = []
    for attempt in Attempt.objects.filter(pk__in=rng.sample(ids, min(sample, len(ids)))):
        replayed = None
        for st in Statement.objects.filter(context__registration=str(attempt.registration)).order_by("seq"):
            replayed = project_attempt(replayed, st, graph, version.pk)
        keep = [f for f in ATTEMPT_FIELDS if f not in ("registration",)]
        if replayed is None or any(getattr(replayed, f) != getattr(attempt, f) for f in keep):
            wrong.append(str(attempt.registration))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT context->'extensions'->>%s, result->>'response', partner_id, count(*) FROM records_statement "
            "WHERE object_iri LIKE %s AND verb LIKE %s GROUP BY 1, 2, 3",
            [
                vocab.EXT_NODE.iri,
                f"%/xapi/activities/scenario/{version.scenario.key}/v{version.number}/node/%",
                "%/answered",
            ],
        )
        from_statements = {(n, c, p): k for n, c, p, k in cursor.fetchall()}
    projected = {
        (n, c, p): k
        for n, c, p, k in NodeChoiceCount.objects.filter(version=version).values_list(
            "node_key", "choice_key", "partner_id", "count"
        )
    }
    return {
        "attempts_replayed": min(sample, len(ids)),
        "attempts_differing": wrong,
        "choice_counts_equal_statements": from_statements == projected,
        "choice_count_rows": len(projected),
    }
