"""Graph validation: every error kind is found with its node/choice, and valid graphs (loops with exits) pass."""

import copy

from django.utils import translation

from kizuna.scenarios.validation import Code, validate_graph

from .helpers import example_data, tiny_graph


def codes(data):
    return sorted((e.code, e.node, e.choice) for e in validate_graph(data))


def node(data, key):
    return next(n for n in data["nodes"] if n["key"] == key)


def test_the_tiny_graph_with_a_loop_that_has_exits_is_valid():
    # b → back → a → ask → b is a loop, but both moments can reach an end.
    assert validate_graph(tiny_graph()) == []


def test_the_example_scenario_is_valid():
    assert validate_graph(example_data()) == []


def test_it_finds_duplicate_node_keys():
    data = tiny_graph()
    data["nodes"].append(copy.deepcopy(node(data, "won")))
    assert (Code.DUPLICATE_NODE, "won", None) in codes(data)


def test_it_finds_a_missing_start():
    data = tiny_graph(start=None)
    assert (Code.START_MISSING, None, None) in codes(data)


def test_it_finds_a_start_that_is_not_a_node():
    assert (Code.START_UNKNOWN, "zzz", None) in codes(tiny_graph(start="zzz"))


def test_it_refuses_to_start_with_an_end():
    assert (Code.START_IS_END, "won", None) in codes(tiny_graph(start="won"))


def test_it_finds_a_choice_without_a_next_node():
    data = tiny_graph()
    node(data, "a")["choices"][1]["next"] = None
    assert (Code.CHOICE_NO_NEXT, "a", "discount") in codes(data)


def test_it_finds_a_choice_leading_to_an_unknown_node():
    data = tiny_graph()
    node(data, "a")["choices"][1]["next"] = "nowhere"
    assert (Code.CHOICE_UNKNOWN_NEXT, "a", "discount") in codes(data)


def test_it_finds_a_moment_with_fewer_than_two_choices():
    data = tiny_graph()
    del node(data, "b")["choices"][1]
    assert codes(data) == [(Code.TOO_FEW_CHOICES, "b", None)]


def test_it_finds_an_end_with_choices_and_an_end_without_outcome():
    data = tiny_graph()
    node(data, "won")["choices"] = [{"key": "x", "text": "x", "next": "a"}]
    node(data, "lost")["outcome"] = None
    found = codes(data)
    assert (Code.END_HAS_CHOICES, "won", None) in found
    assert (Code.END_WITHOUT_OUTCOME, "lost", None) in found


def test_it_finds_unreachable_nodes():
    data = tiny_graph()
    data["nodes"].append({"key": "island", "kind": "end", "outcome": "won"})
    assert codes(data) == [(Code.UNREACHABLE, "island", None)]


def test_it_finds_a_loop_without_a_way_out():
    data = tiny_graph()
    # a → b → a only: neither reaches an end any more.
    node(data, "a")["choices"][1]["next"] = "b"
    node(data, "b")["choices"][0]["next"] = "a"
    found = codes(data)
    assert (Code.NO_END_REACHABLE, "a", None) in found
    assert (Code.NO_END_REACHABLE, "b", None) in found
    assert (Code.UNREACHABLE, "won", None) in found


def test_it_finds_a_dead_end_moment_and_everything_that_only_leads_there():
    data = tiny_graph()
    data["nodes"].append(
        {
            "key": "trap",
            "kind": "moment",
            "choices": [{"key": "x", "text": "x", "next": "trap"}, {"key": "y", "text": "y", "next": "trap"}],
        }
    )
    node(data, "a")["choices"][1]["next"] = "trap"
    found = codes(data)
    assert (Code.NO_END_REACHABLE, "trap", None) in found
    assert (Code.NO_END_REACHABLE, "a", None) not in found  # a still reaches "won" through b


def test_it_allows_at_most_one_reference_choice_per_moment():
    data = tiny_graph()
    node(data, "a")["choices"][1]["reference"] = True
    assert codes(data) == [(Code.MULTIPLE_REFERENCES, "a", None)]


def test_it_finds_duplicate_choice_keys():
    data = tiny_graph()
    node(data, "a")["choices"][1]["key"] = "ask"
    assert (Code.DUPLICATE_CHOICE, "a", "ask") in codes(data)


def test_messages_follow_the_active_language():
    data = tiny_graph(start="zzz")
    with translation.override("ja"):
        ja = validate_graph(data)[0].message
    with translation.override("en"):
        en = validate_graph(data)[0].message
    assert "zzz" in ja and "zzz" in en
    assert ja != en
    assert "starts with" in en


def test_odd_input_never_crashes():
    for data in [None, 3, "x", [], {"nodes": "x"}, {"nodes": [1, None, {"key": 5}], "start": []}]:
        validate_graph(data)
