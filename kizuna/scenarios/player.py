"""What the player screens show beyond the domain's reads: how far along a rep is, and the end's step-by-step rows.

Pure functions over a published version's graph (``scoring.Graph``) and the
comparison of ``selectors.attempt_comparison``.
"""

from collections import deque
from typing import Any

from .models import Outcome
from .scoring import Graph
from .validation import graph_edges


def steps_to_end(graph: Graph) -> dict[str, int]:
    """Return, for every node, the fewest choices from it to an end (ends 0; nodes that cannot end are left out)."""
    reverse: dict[str, list[str]] = {key: [] for key in graph.nodes}
    for source, targets in graph_edges(graph.data).items():
        for target in targets:
            reverse[target].append(source)
    distance = {key: 0 for key in graph.nodes if graph.is_end(key)}
    queue = deque(distance)
    while queue:
        key = queue.popleft()
        for source in reverse.get(key, ()):
            if source not in distance:
                distance[source] = distance[key] + 1
                queue.append(source)
    return distance


def progress(graph: Graph, *, done: int, at: str) -> dict[str, int]:
    """Return the progress after ``done`` choices standing at node ``at``: an estimate by the shortest way out."""
    remaining = steps_to_end(graph).get(at, 1)
    return {"done": done, "total": done + remaining, "moment": done + 1}


def _outcome_label(graph: Graph, node_key: str | None) -> str:
    if node_key is None or not graph.is_end(node_key):
        return ""
    outcome = graph.node(node_key).get("outcome") or ""
    return str(Outcome(outcome).label) if outcome in Outcome.values else ""


def comparison_rows(graph: Graph, comparison: dict[str, Any]) -> dict[str, Any]:
    """Pair the rep's steps with the top rep's, step by step, for the end screen.

    Each row has ``mine`` and ``top`` (steps of ``scoring.compare_paths``, or None past the end of a path),
    ``state`` ("same", "differs" or "open" where the moment has no top rep's choice), ``top_here`` (where the
    rep chose differently: the top rep's choice at the rep's moment, with its commentary) and ``same_moment``.
    Also the outcome label of each path's ending.
    """
    differences = {id(d["rep"]): d["reference"] for d in comparison["differences"]}
    mine_steps, top_steps = comparison["rep"], comparison["reference"]
    rows = []
    for index in range(max(len(mine_steps), len(top_steps))):
        mine = mine_steps[index] if index < len(mine_steps) else None
        top = top_steps[index] if index < len(top_steps) else None
        state = "open"
        if mine is not None and mine.get("matched") is True:
            state = "same"
        elif mine is not None and mine.get("matched") is False:
            state = "differs"
        rows.append(
            {
                "number": index + 1,
                "mine": mine,
                "top": top,
                "state": state,
                "top_here": differences.get(id(mine)) if mine is not None else None,
                "same_moment": mine is not None and top is not None and mine["node"] == top["node"],
            }
        )
    top_end = None
    if top_steps:
        last = top_steps[-1]
        top_end = graph.choices[last["node"]][last["choice"]]["next"]
    return {
        "rows": rows,
        "my_outcome": _outcome_label(graph, comparison["ending"].get("key")),
        "top_outcome": _outcome_label(graph, top_end),
        "top_ending": graph.node(top_end) if top_end is not None else None,
    }
