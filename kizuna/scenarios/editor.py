"""Reads for the authoring screens: each problem of a draft placed on its moment or choice, and the studio list.

The studio shows validation errors next to what they concern. Graph errors name
their moment and choice by key; shape errors name a data path such as
``nodes[2].choices[0].text``, which is resolved here against the draft's order
(the export lists moments and choices in the editor's order).
"""

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kizuna.catalog.text_checks import TermCheck, kept_check_results

from .exchange import scenario_export
from .graphmap import graph_map_svg
from .models import Choice, Node, Scenario
from .selectors import scenarios_for_editor
from .services import scenario_problems
from .services.publishing import term_errors
from .validation import GraphError, validate_graph

_PATH = re.compile(r"^nodes\[(\d+)\](?:\.choices\[(\d+)\])?")


@dataclass(frozen=True)
class PlacedProblem:
    """One problem and the draft row it concerns (for the anchor it links to)."""

    error: GraphError
    node: Node | None = None
    choice: Choice | None = None

    @property
    def message(self) -> str:
        return self.error.message

    @property
    def anchor(self) -> str:
        if self.choice is not None:
            return f"choice-{self.choice.pk}"
        if self.node is not None:
            return f"node-{self.node.pk}"
        if self.error.path == "start":
            return "start"
        return "scenario-details"


@dataclass
class DraftProblems:
    """Every problem of a draft: in order, and grouped by the moment and the choice they concern."""

    all: list[PlacedProblem] = field(default_factory=list)
    by_node: dict[int, list[PlacedProblem]] = field(default_factory=dict)
    by_choice: dict[int, list[PlacedProblem]] = field(default_factory=dict)
    general: list[PlacedProblem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.all)

    def __bool__(self) -> bool:
        return bool(self.all)

    def nodes_with_problems(self) -> set[int]:
        """Node pks whose card has a problem on itself or on one of its choices."""
        pks = set(self.by_node)
        for items in self.by_choice.values():
            pks.update(p.node.pk for p in items if p.node is not None)
        return pks


def _resolve(error: GraphError, nodes: list[Node]) -> tuple[Node | None, Choice | None]:
    by_key = {node.key: node for node in nodes}
    node = by_key.get(error.node) if error.node else None
    choice = None
    match = _PATH.match(error.path or "")
    if match is not None:
        index = int(match.group(1))
        if node is None and index < len(nodes):
            node = nodes[index]
        if match.group(2) is not None and node is not None:
            choices = list(node.choices.all())
            position = int(match.group(2))
            if position < len(choices):
                choice = choices[position]
    if choice is None and node is not None and error.choice:
        choice = next((c for c in node.choices.all() if c.key == error.choice), None)
    return node, choice


def place_problems(errors: list[GraphError], nodes: list[Node]) -> DraftProblems:
    """Attach each problem to the moment and choice it concerns (``nodes`` with their choices prefetched)."""
    placed = DraftProblems()
    for error in errors:
        node, choice = _resolve(error, nodes)
        item = PlacedProblem(error=error, node=node, choice=choice)
        placed.all.append(item)
        if choice is not None:
            placed.by_choice.setdefault(choice.pk, []).append(item)
        elif node is not None:
            placed.by_node.setdefault(node.pk, []).append(item)
        else:
            placed.general.append(item)
    return placed


def draft_problems(scenario: Scenario, nodes: list[Node]) -> DraftProblems:
    """Return the draft's publishing problems (services.scenario_problems), placed on its moments and choices."""
    return place_problems(scenario_problems(scenario), nodes)


def draft_map_svg(scenario: Scenario, nodes: list[Node]) -> str:
    """Return the draft's map, every moment with a problem (of any kind) in red; raise graphmap.MapError."""
    problems = draft_problems(scenario, nodes)
    keyed = [
        dataclasses.replace(p.error, node=p.node.key) if p.node is not None and not p.error.node else p.error
        for p in problems.all
    ]
    return graph_map_svg(scenario_export(scenario), keyed)


# --- The studio list -------------------------------------------------------------------------


def _not_ready(status: str | None) -> bool:
    return status is not None and status != "ready"


def studio_scenarios(user: Any) -> list[dict[str, Any]]:
    """Return the scenarios an editor sees, each with its status and error count, in a fixed number of queries.

    The count is what stops publishing: the graph's errors or, when the graph is valid, its videos that are not
    ready, plus the moments using an insider term the glossary does not explain, found by publishing's own check
    (`term_errors`) and kept per draft version and glossary state, so the list never analyses an unchanged
    draft twice (the editor shows every problem, precisely).
    """
    scenarios = list(scenarios_for_editor(user))
    ids = [s.pk for s in scenarios]
    graphs: dict[int, dict[str, Any]] = {
        s.pk: {
            "start": s.start_node.key if s.start_node_id else None,
            "title": s.title,
            "description": s.description,
            "nodes": [],
        }
        for s in scenarios
    }
    pending_videos: dict[int, int] = dict.fromkeys(ids, 0)
    node_data: dict[int, dict[str, Any]] = {}
    for row in (
        Node.objects.filter(scenario_id__in=ids)
        .order_by("position", "id")
        .values(
            "id", "scenario_id", "key", "kind", "outcome", "video__status", "speaker", "text", "debrief", "question"
        )
    ):
        item = {
            "key": row["key"],
            "kind": row["kind"],
            "outcome": row["outcome"] or None,
            "choices": [],
            # What the rep reads, for the plain-words check (validate_graph ignores it).
            "speaker": row["speaker"],
            "text": row["text"],
            "debrief": row["debrief"],
            "question": row["question"] if isinstance(row["question"], dict) else None,
        }
        node_data[row["id"]] = item
        graphs[row["scenario_id"]]["nodes"].append(item)
        pending_videos[row["scenario_id"]] += _not_ready(row["video__status"])
    for row in (
        Choice.objects.filter(node__scenario_id__in=ids)
        .order_by("position", "id")
        .values(
            "node_id",
            "node__scenario_id",
            "key",
            "next_node__key",
            "is_reference",
            "commentary_video__status",
            "text",
            "commentary",
        )
    ):
        node_data[row["node_id"]]["choices"].append(
            {
                "key": row["key"],
                "next": row["next_node__key"],
                "reference": row["is_reference"],
                "text": row["text"],
                "commentary": row["commentary"],
            }
        )
        pending_videos[row["node__scenario_id"]] += _not_ready(row["commentary_video__status"])
    terms = _kept_term_errors(scenarios, graphs)
    rows = []
    for scenario in scenarios:
        errors = (len(validate_graph(graphs[scenario.pk])) or pending_videos[scenario.pk]) + len(terms[scenario.pk])
        latest = scenario.latest_version
        if latest is None:
            status = "draft"
        elif scenario.has_unpublished_changes:
            status = "changed"
        else:
            status = "published"
        unexplained = list(dict.fromkeys(term for group in terms[scenario.pk] for term in group))
        rows.append(
            {"scenario": scenario, "status": status, "version": latest, "errors": errors, "unexplained": unexplained}
        )
    return rows


def _kept_term_errors(scenarios: list[Scenario], graphs: dict[int, dict[str, Any]]) -> dict[int, list[list[str]]]:
    """Each draft's unexplained insider terms, one group per error publishing would raise."""

    def compute(graph: dict[str, Any]) -> Callable[[TermCheck], list[list[str]]]:
        return lambda check: [list(error.terms) for error in term_errors(graph, check)]

    def key(scenario: Scenario) -> str:
        return f"scenario:{scenario.pk}:{scenario.draft_changed_at.isoformat()}"

    computes = {key(s): compute(graphs[s.pk]) for s in scenarios}
    kept = kept_check_results(computes, empty=[])
    return {s.pk: kept[key(s)] for s in scenarios}
