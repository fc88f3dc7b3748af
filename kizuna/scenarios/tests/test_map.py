"""The server-drawn map: an inline SVG from Graphviz, with start, ends and errors coloured and labels escaped."""

import pytest

from kizuna.scenarios import services
from kizuna.scenarios.graphmap import COLOURS, MapError, graph_dot, graph_map_svg, render_svg, scenario_map_svg

from .helpers import tiny_graph


def test_the_map_is_a_bare_svg_with_every_moment(complaint):
    svg = scenario_map_svg(complaint)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "<!--" not in svg and "DOCTYPE" not in svg
    for key in ("opening", "details", "won", "lost"):
        assert key in svg
    assert COLOURS["start"][0] in svg and COLOURS["won"][0] in svg


def test_moments_with_errors_are_red_and_dangling_choices_point_at_a_question_mark(complaint):
    services.node_delete(node=complaint.nodes.get(key="manual-sent"))
    svg = scenario_map_svg(complaint)
    assert COLOURS["error"][0] in svg
    assert ">?<" in svg


def test_labels_cannot_inject_markup_or_dot():
    data = tiny_graph()
    data["nodes"][0]["text"] = '<script>alert(1)</script> " ]; x -> y; \\N & <img onerror="x">'
    svg = graph_map_svg(data)
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg
    assert " y " not in graph_dot(data).split("label=")[0]  # no extra node was declared


def test_graphviz_failures_raise_a_map_error():
    with pytest.raises(MapError):
        render_svg("digraph { this is not dot")
