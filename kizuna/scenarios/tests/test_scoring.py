"""Scoring and alignment maths, pinned on the tiny graph and the example scenario."""

from kizuna.scenarios.scoring import Graph, attempt_score, compare_paths, reference_path, scaled, step_score

from .helpers import APOLOGY_PATH, example_data, tiny_graph


def steps(graph, keys):
    """Turn choice keys into (node, choice) steps by walking the graph."""
    path, node = [], graph.start
    for key in keys:
        path.append((node, key))
        node = graph.choice(node, key)["next"]
    return path


def test_scaled_is_relative_to_the_best_and_the_worst():
    assert scaled(3, -2, 3) == 1.0
    assert scaled(1, -2, 3) == 0.3333
    assert scaled(-1, -2, 3) == -0.5
    assert scaled(-2, -2, 3) == -1.0
    assert scaled(0, -2, 3) == 0.0
    assert scaled(0, 0, 0) == 0.0


def test_one_step_is_scored_against_its_moment():
    graph = Graph(tiny_graph())
    step = step_score(graph, "a", "discount")
    assert (step.raw, step.min, step.max, step.scaled, step.reference_match) == (-1, -1, 2, -1.0, False)
    assert step_score(graph, "a", "ask").reference_match is True


def test_a_short_losing_path():
    graph = Graph(tiny_graph())
    score = attempt_score(graph, [("a", "discount")])
    assert (score.raw, score.min, score.max, score.scaled) == (-1, -1, 2, -1.0)
    assert (score.alignment, score.outcome, score.current_node) == (0.0, "lost", "lost")


def test_a_path_through_the_loop_counts_every_step():
    graph = Graph(tiny_graph())
    score = attempt_score(graph, [("a", "ask"), ("b", "back"), ("a", "ask"), ("b", "calc")])
    assert (score.raw, score.min, score.max, score.scaled) == (7, -2, 10, 0.7)
    assert (score.reference_steps, score.reference_matches, score.alignment) == (4, 3, 0.75)
    assert score.outcome == "won" and score.finished


def test_an_unfinished_path_has_no_outcome():
    graph = Graph(tiny_graph())
    score = attempt_score(graph, [("a", "ask")])
    assert (score.current_node, score.outcome, score.finished) == ("b", "", False)
    assert attempt_score(graph, []).scaled is None


def test_moments_without_a_top_reps_choice_do_not_count_for_alignment():
    data = tiny_graph()
    for choice in data["nodes"][1]["choices"]:
        choice["reference"] = False
    graph = Graph(data)
    score = attempt_score(graph, [("a", "ask"), ("b", "back"), ("a", "discount")])
    assert (score.reference_steps, score.reference_matches, score.alignment) == (2, 1, 0.5)
    data["nodes"][0]["choices"][0]["reference"] = False
    assert attempt_score(Graph(data), [("a", "ask")]).alignment is None


def test_the_example_apology_path_is_pinned():
    graph = Graph(example_data())
    score = attempt_score(graph, steps(graph, APOLOGY_PATH))
    assert (score.raw, score.min, score.max, score.scaled) == (5, -7, 13, 0.3846)
    assert (score.reference_steps, score.reference_matches, score.alignment) == (5, 2, 0.4)
    assert score.outcome == "lost"
    assert score.value_profile == {
        "customer-first": {"offered": 5, "chosen": 2, "score": 4},
        "ownership": {"offered": 5, "chosen": 2, "score": 4},
    }


def test_the_reference_path_follows_the_top_reps_choices_to_an_end():
    graph = Graph(example_data())
    assert [c for _n, c in reference_path(graph)] == ["ask-details", "guide-setting", "root-cause", "listen-expansion"]


def test_the_reference_path_stops_before_repeating_a_moment():
    data = tiny_graph()
    data["nodes"][1]["choices"][0]["reference"] = False
    data["nodes"][1]["choices"][1]["reference"] = True  # b → back → a → ask → b …
    assert reference_path(Graph(data)) == [("a", "ask"), ("b", "back")]


def test_the_comparison_shows_each_difference_with_both_commentaries():
    graph = Graph(example_data())
    comparison = compare_paths(graph, steps(graph, APOLOGY_PATH))
    assert [d["node"] for d in comparison["differences"]] == ["opening", "details", "fixed"]
    first = comparison["differences"][0]
    assert first["rep"]["text"].startswith("「申し訳ございません")
    assert first["reference"]["text"].startswith("「詳しくお聞かせいただけますか")
    assert first["rep"]["commentary"] and first["reference"]["commentary"]
    assert [s["matched"] for s in comparison["rep"]] == [False, True, False, True, False]
    assert len(comparison["reference"]) == 4
    assert comparison["ending"]["outcome"] == "lost"
