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


def phone_graph(graph: Graph, *, version_id: int, lesson_id: int | None, videos: dict[str, Any]) -> dict[str, Any]:
    """What a phone needs to play a version without a connection: each moment's line, picture and video, its
    choices with the coach's commentary (the "why") and where each leads, each end's outcome and debrief, and
    how far every node is from an end (the progress bar).

    Teaching content only: no choice's score, no top rep's mark and no check question's answer travel (the
    play is scored on the server when the phone sends it, and its result is shown then). ``videos``: the keys
    of the ready videos (the others are left out, as the online player would show none).
    """
    from django.urls import reverse

    query = f"?lesson={lesson_id}" if lesson_id else ""

    def media(name: str, key: Any) -> str | None:
        video = videos.get(str(key)) if key else None
        if video is None or (name.endswith("poster") and not video.poster):
            return None
        return reverse(name, args=[version_id, key]) + query

    remaining = steps_to_end(graph)
    nodes: dict[str, Any] = {}
    for key, node in graph.nodes.items():
        entry: dict[str, Any] = {
            "kind": node.get("kind", "moment"),
            "speaker": node.get("speaker", ""),
            "text": node.get("text", ""),
            "image": reverse("scenarios:scenario_media_image", args=[version_id, node["image"]]) + query
            if node.get("image")
            else None,
            "video": media("scenarios:scenario_media_video_phone", node.get("video")),
            "poster": media("scenarios:scenario_media_poster", node.get("video")),
            "remaining": remaining.get(key, 1),
        }
        if graph.is_end(key):
            entry["outcome"] = _outcome_label(graph, key)
            entry["debrief"] = node.get("debrief", "")
        else:
            entry["choices"] = [
                {
                    "key": c["key"],
                    "text": c.get("text", ""),
                    "next": c.get("next"),
                    "commentary": c.get("commentary", ""),
                    "video": media("scenarios:scenario_media_video_phone", c.get("commentary_video")),
                    "poster": media("scenarios:scenario_media_poster", c.get("commentary_video")),
                }
                for c in node.get("choices", [])
            ]
        nodes[key] = entry
    return {"version": version_id, "lesson": lesson_id, "start": graph.start, "nodes": nodes}


def phone_media_urls(data: dict[str, Any]) -> list[str]:
    """The pictures, videos and posters a phone graph shows, each once, in order."""
    urls: list[str] = []
    for node in data["nodes"].values():
        for item in [node, *node.get("choices", [])]:
            for name in ("image", "video", "poster"):
                url = item.get(name)
                if url and url not in urls:
                    urls.append(url)
    return urls
