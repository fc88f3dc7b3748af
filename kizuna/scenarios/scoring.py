"""Scoring, alignment and path comparison of a scenario attempt: pure functions over a frozen graph.

The graph is a published version's data in the exchange format; a path is the
ordered list of (node key, choice key) steps a rep took. The live projection,
its rebuild, the statements and the comparison screen all use these rules.

- A step's score is the chosen choice's score; its range is the node's lowest
  and highest choice score. An attempt's raw score is the sum over its steps and
  its range the sums of the ranges, so ``scaled`` compares the rep with the best
  they could have done at the moments they actually met (loops make a whole-graph
  maximum meaningless).
- ``scaled`` is raw/max for a positive raw score and raw/|min| for a negative
  one: in −1..1, as xAPI asks.
- Alignment is the share of steps, at moments that have a top rep's choice,
  where the rep chose the same. None when no such step was taken.
- The value profile counts, for each value tag, the steps whose moment offered
  a choice with that tag, how many times the rep chose one, and the score of those choices.
"""

from dataclasses import dataclass, field
from typing import Any

Step = tuple[str, str]


@dataclass(frozen=True)
class StepScore:
    raw: int
    min: int
    max: int
    scaled: float
    reference_match: bool | None  # None where the moment has no top rep's choice
    value_tags: tuple[str, ...]

    def as_xapi(self) -> dict[str, Any]:
        return {"raw": self.raw, "min": self.min, "max": self.max, "scaled": self.scaled}


@dataclass
class AttemptScore:
    current_node: str
    raw: int = 0
    min: int = 0
    max: int = 0
    scaled: float | None = None
    reference_steps: int = 0
    reference_matches: int = 0
    alignment: float | None = None
    value_profile: dict[str, dict[str, int]] = field(default_factory=dict)
    outcome: str = ""

    @property
    def finished(self) -> bool:
        return bool(self.outcome)

    def as_xapi(self) -> dict[str, Any]:
        return {"raw": self.raw, "min": self.min, "max": self.max, "scaled": self.scaled or 0.0}


class Graph:
    """A frozen scenario graph indexed for play: nodes by key, choices by node and key."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.start: str = data["start"]
        self.nodes: dict[str, dict[str, Any]] = {node["key"]: node for node in data["nodes"]}
        self.choices: dict[str, dict[str, dict[str, Any]]] = {
            key: {c["key"]: c for c in node.get("choices", [])} for key, node in self.nodes.items()
        }

    def node(self, key: str) -> dict[str, Any]:
        return self.nodes[key]

    def choice(self, node_key: str, choice_key: str) -> dict[str, Any] | None:
        return self.choices.get(node_key, {}).get(choice_key)

    def is_end(self, key: str) -> bool:
        return self.nodes[key].get("kind") == "end"

    def reference_choice(self, node_key: str) -> dict[str, Any] | None:
        return next((c for c in self.nodes[node_key].get("choices", []) if c.get("reference")), None)


def scaled(raw: int, low: int, high: int) -> float:
    """Return raw in −1..1: raw/high when positive, raw/|low| when negative, 0 otherwise."""
    if raw > 0 and high > 0:
        return round(min(1.0, raw / high), 4)
    if raw < 0 and low < 0:
        return round(max(-1.0, -raw / low), 4)
    return 0.0


def step_score(graph: Graph, node_key: str, choice_key: str) -> StepScore:
    """Score one choice at one moment."""
    choices = graph.node(node_key).get("choices", [])
    choice = graph.choices[node_key][choice_key]
    scores = [int(c.get("score", 0)) for c in choices]
    low, high = min(scores), max(scores)
    raw = int(choice.get("score", 0))
    reference = graph.reference_choice(node_key)
    return StepScore(
        raw=raw,
        min=low,
        max=high,
        scaled=scaled(raw, low, high),
        reference_match=None if reference is None else reference["key"] == choice_key,
        value_tags=tuple(choice.get("value_tags", [])),
    )


def attempt_score(graph: Graph, path: list[Step] | list[list[str]]) -> AttemptScore:
    """Score an attempt's path: totals, alignment, value profile, where it stands and how it ended."""
    result = AttemptScore(current_node=graph.start)
    for node_key, choice_key in path:
        step = step_score(graph, node_key, choice_key)
        result.raw += step.raw
        result.min += step.min
        result.max += step.max
        if step.reference_match is not None:
            result.reference_steps += 1
            result.reference_matches += int(step.reference_match)
        offered = {tag for c in graph.node(node_key).get("choices", []) for tag in c.get("value_tags", [])}
        for tag in sorted(offered):
            entry = result.value_profile.setdefault(tag, {"offered": 0, "chosen": 0, "score": 0})
            entry["offered"] += 1
            if tag in step.value_tags:
                entry["chosen"] += 1
                entry["score"] += step.raw
        result.current_node = graph.choices[node_key][choice_key]["next"]
    result.scaled = scaled(result.raw, result.min, result.max) if path else None
    if result.reference_steps:
        result.alignment = round(result.reference_matches / result.reference_steps, 4)
    if graph.is_end(result.current_node):
        result.outcome = graph.node(result.current_node).get("outcome", "")
    return result


def reference_path(graph: Graph) -> list[Step]:
    """Return the top rep's path from the start: their marked choice at each moment, else the best-scoring one.

    It stops at an end, or before a moment it has already passed (a loop the reference choices would repeat).
    """
    path: list[Step] = []
    seen: set[str] = set()
    key = graph.start
    while not graph.is_end(key) and key not in seen:
        seen.add(key)
        choices = graph.node(key).get("choices", [])
        if not choices:
            break
        choice = graph.reference_choice(key) or max(choices, key=lambda c: int(c.get("score", 0)))
        path.append((key, choice["key"]))
        key = choice["next"]
    return path


def _step_view(graph: Graph, node_key: str, choice_key: str) -> dict[str, Any]:
    node = graph.node(node_key)
    choice = graph.choices[node_key][choice_key]
    return {
        "node": node_key,
        "speaker": node.get("speaker", ""),
        "situation": node.get("text", ""),
        "choice": choice_key,
        "text": choice.get("text", ""),
        "commentary": choice.get("commentary", ""),
        "commentary_video": choice.get("commentary_video"),
        "score": int(choice.get("score", 0)),
        "value_tags": list(choice.get("value_tags", [])),
    }


def compare_paths(graph: Graph, path: list[Step] | list[list[str]]) -> dict[str, Any]:
    """Return the rep's path beside the top rep's, and each moment where the rep chose differently.

    ``rep`` and ``reference`` are lists of steps (node, its situation, the choice's text, commentary, score);
    ``differences`` has, for every step of the rep at a moment with a top rep's choice other than theirs,
    both choices with their commentary. ``ending`` is the node the rep's path reached.
    """
    rep_steps = []
    differences = []
    for node_key, choice_key in path:
        step = _step_view(graph, node_key, choice_key)
        reference = graph.reference_choice(node_key)
        step["matched"] = None if reference is None else reference["key"] == choice_key
        rep_steps.append(step)
        if reference is not None and reference["key"] != choice_key:
            differences.append(
                {"node": node_key, "rep": step, "reference": _step_view(graph, node_key, reference["key"])}
            )
    top = [_step_view(graph, n, c) for n, c in reference_path(graph)]
    end_key = attempt_score(graph, path).current_node
    return {"rep": rep_steps, "reference": top, "differences": differences, "ending": graph.node(end_key)}
