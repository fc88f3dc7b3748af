"""The map of a scenario: its graph drawn on the server as SVG by Graphviz (``dot -Tsvg``).

Node ids in the DOT source are generated (n0, n1, …); the author's text appears
only inside quoted labels, escaped for DOT, and Graphviz escapes it again for
XML. The result is trimmed to the <svg> element (no prolog, no comments) so it
can be inlined in a page under our Content-Security-Policy.
"""

import re
import subprocess
from typing import Any

from django.utils.translation import gettext as _

from .exchange import scenario_export
from .models import Scenario
from .validation import GraphError, validate_graph

DOT_TIMEOUT_SECONDS = 10
LABEL_CHARS = 18  # per line; Japanese text wraps by characters
LABEL_LINES = 3

COLOURS = {
    "moment": ("#ffffff", "#1d4e89"),
    "start": ("#e3f3ea", "#1f7a4d"),
    "won": ("#e3f3ea", "#1f7a4d"),
    "next_meeting": ("#e8eef6", "#1d4e89"),
    "lost": ("#eceff3", "#5b6472"),
    "error": ("#fde8e4", "#b3261e"),
}


class MapError(Exception):
    """The map could not be drawn (Graphviz missing, too slow or failing); show the list of moments instead."""


def _dot_string(text: str) -> str:
    """Quote text for a DOT label: backslashes (Graphviz reads \\N, \\G… in labels) and quotes escaped."""
    clean = "".join(ch for ch in text if ch.isprintable() or ch == "\n")
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(text: str) -> str:
    flat = " ".join((text or "").split())
    lines = [flat[i : i + LABEL_CHARS] for i in range(0, len(flat), LABEL_CHARS)][:LABEL_LINES]
    if len(flat) > LABEL_CHARS * LABEL_LINES:
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)


def _node_label(node: dict[str, Any]) -> str:
    head = str(node.get("key", "?"))
    if node.get("kind") == "end":
        outcomes = {"won": _("won the deal"), "next_meeting": _("next meeting"), "lost": _("lost the customer")}
        outcome = outcomes.get(node.get("outcome") or "") or _("no outcome")
        head = f"{head} · {outcome}"
    return f"{head}\n{_wrap(str(node.get('text') or ''))}".strip()


def graph_dot(data: dict[str, Any], errors: list[GraphError] | None = None) -> str:
    """Return the DOT source of a scenario graph (exchange-format data), colouring start, ends and errors."""
    errors = validate_graph(data) if errors is None else errors
    broken = {e.node for e in errors if e.node}
    nodes = [n for n in data.get("nodes", []) if isinstance(n, dict) and isinstance(n.get("key"), str)]
    ids: dict[str, str] = {}
    for node in nodes:
        ids.setdefault(node["key"], f"n{len(ids)}")
    lines = [
        "digraph scenario {",
        '  graph [rankdir=TB, bgcolor="transparent", nodesep=0.3, ranksep=0.45];',
        '  node [shape=box, style="rounded,filled", fontname="sans-serif", fontsize=11, margin="0.12,0.06"];',
        '  edge [fontname="sans-serif", fontsize=9, color="#5b6472", fontcolor="#39414d"];',
    ]
    drawn: set[str] = set()
    for node in nodes:
        key = node["key"]
        if key in drawn:
            continue
        drawn.add(key)
        kind = "moment"
        if node.get("kind") == "end":
            kind = node.get("outcome") if node.get("outcome") in COLOURS else "error"
        if key == data.get("start"):
            kind = "start"
        if key in broken:
            kind = "error"
        fill, line = COLOURS[kind]
        shape = ", shape=doubleoctagon" if node.get("kind") == "end" else ""
        width = ', penwidth=2.5, style="rounded,filled,bold"' if key in broken or key == data.get("start") else ""
        lines.append(
            f'  {ids[key]} [label={_dot_string(_node_label(node))}, fillcolor="{fill}", color="{line}"{shape}{width}];'
        )
    missing = 0
    for node in nodes:
        for choice in node.get("choices") or []:
            if not isinstance(choice, dict):
                continue
            label = _dot_string(
                f"{choice.get('key', '?')} ({choice.get('score', 0):+d})"
                if isinstance(choice.get("score", 0), int)
                else str(choice.get("key", "?"))
            )
            target = ids.get(choice.get("next")) if isinstance(choice.get("next"), str) else None
            if target is None:
                # A choice that leads nowhere points at a red question mark.
                target = f"missing{missing}"
                missing += 1
                lines.append(
                    f'  {target} [label="?", shape=circle, fillcolor="#fde8e4", color="#b3261e", fontcolor="#b3261e"];'
                )
            bold = ', penwidth=2.2, color="#1f7a4d"' if choice.get("reference") is True else ""
            lines.append(f"  {ids[node['key']]} -> {target} [label={label}{bold}];")
    lines.append("}")
    return "\n".join(lines)


_SVG_START = re.compile(r"<svg\b", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_UNSAFE = re.compile(
    r"<\s*(script|foreignObject|iframe)\b.*?(</\s*\1\s*>|/>)|\son\w+\s*=\s*\"[^\"]*\"", re.IGNORECASE | re.DOTALL
)


def render_svg(dot_source: str) -> str:
    """Run ``dot -Tsvg`` on DOT source and return the bare <svg> element."""
    try:
        completed = subprocess.run(
            ["dot", "-Tsvg"],
            input=dot_source.encode(),
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=True,
        )
    except FileNotFoundError:
        raise MapError("Graphviz (dot) is not installed") from None
    except subprocess.TimeoutExpired:
        raise MapError("Graphviz took too long") from None
    except subprocess.CalledProcessError as exc:
        raise MapError(exc.stderr.decode(errors="replace")[-500:]) from None
    svg = completed.stdout.decode("utf-8", errors="replace")
    start = _SVG_START.search(svg)
    if start is None:
        raise MapError("Graphviz returned no SVG")
    svg = _COMMENT.sub("", svg[start.start() :])
    # Defence in depth: labels are escaped twice already, but nothing active may ever reach the page.
    return _UNSAFE.sub("", svg).strip()


def graph_map_svg(data: dict[str, Any], errors: list[GraphError] | None = None) -> str:
    return render_svg(graph_dot(data, errors))


def scenario_map_svg(scenario: Scenario) -> str:
    """Return the map of a draft scenario as an inline SVG (moments with errors in red); raise MapError."""
    return graph_map_svg(scenario_export(scenario))
