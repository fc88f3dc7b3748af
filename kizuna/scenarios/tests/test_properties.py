"""Property-based tests: random graphs are either valid and fully playable or refused with errors, never a crash."""

import copy
import uuid
from collections import deque

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.scenarios import selectors
from kizuna.scenarios.errors import FormatError, ScenarioError
from kizuna.scenarios.exchange import parse_text
from kizuna.scenarios.models import Attempt, Scenario
from kizuna.scenarios.services import attempt_start, choice_make, scenario_import, scenario_publish
from kizuna.scenarios.validation import validate_graph

from .helpers import tiny_graph

KEYS = ["a", "b", "c", "d", "e", "f"]
# No example database: the suite leaves no .hypothesis folder behind in the checkout.
DB_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def wild_graphs(draw):
    """Random scenario data: nodes with random kinds, choices, targets (some missing) and outcomes."""
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6))
    nodes = []
    for key in keys:
        kind = draw(st.sampled_from(["moment", "moment", "end"]))
        node = {"key": key, "kind": kind, "text": f"場面 {key}"}
        if kind == "end":
            node["outcome"] = draw(st.sampled_from(["won", "next_meeting", "lost", None]))
        count = draw(st.integers(0, 3)) if kind == "moment" else draw(st.sampled_from([0, 0, 0, 1]))
        node["choices"] = [
            {
                "key": f"c{i}",
                "text": f"選択 {i}",
                "next": draw(st.sampled_from([*KEYS, None, "ghost"])),
                "score": draw(st.integers(-3, 3)),
                "reference": draw(st.booleans()),
            }
            for i in range(count)
        ]
        nodes.append(node)
    start = draw(st.sampled_from([*keys, None, "ghost"]))
    return {"format_version": 1, "slug": "random", "title": "ランダム", "start": start, "nodes": nodes}


@st.composite
def wellformed_graphs(draw):
    """Random scenario data whose every node is well formed: only reachability and ends can be wrong."""
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=2, max_size=6, unique=True))
    ends = set(draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3)))
    nodes = []
    for key in keys:
        if key in ends:
            outcome = draw(st.sampled_from(["won", "next_meeting", "lost"]))
            nodes.append({"key": key, "kind": "end", "text": f"結末 {key}", "outcome": outcome})
            continue
        count = draw(st.integers(2, 3))
        reference = draw(st.integers(-1, count - 1))
        targets = draw(st.lists(st.sampled_from(keys), min_size=count, max_size=count))
        choices = [
            {
                "key": f"c{i}",
                "text": f"選択 {i}",
                "next": t,
                "score": draw(st.integers(-3, 3)),
                "reference": i == reference,
            }
            for i, t in enumerate(targets)
        ]
        nodes.append({"key": key, "kind": "moment", "text": f"場面 {key}", "choices": choices})
    return {
        "format_version": 1,
        "slug": "random",
        "title": "ランダム",
        "start": draw(st.sampled_from(keys)),
        "nodes": nodes,
    }


def graphs():
    return st.one_of(wild_graphs(), wellformed_graphs(), wellformed_graphs())


def shortest_to_end(data):
    """{node: (choice key, next node)} following a shortest path towards an end."""
    nodes = {n["key"]: n for n in data["nodes"]}
    best, queue = {}, deque(k for k, n in nodes.items() if n["kind"] == "end")
    done = set(queue)
    while queue:
        target = queue.popleft()
        for key, node in nodes.items():
            for choice in node.get("choices", []):
                if choice["next"] == target and key not in done:
                    done.add(key)
                    best[key] = (choice["key"], target)
                    queue.append(key)
    return best


@given(data=graphs(), walk=st.lists(st.integers(0, 2), max_size=30))
@settings(max_examples=300, deadline=None, database=None)
def test_random_graphs_are_either_valid_and_playable_or_have_errors(data, walk):
    errors = validate_graph(data)
    if errors:
        assert all(e.code and e.message for e in errors)
        return
    nodes = {n["key"]: n for n in data["nodes"]}
    # Every moment is reachable from the start.
    seen, queue = {data["start"]}, deque([data["start"]])
    while queue:
        for choice in nodes[queue.popleft()].get("choices", []):
            if choice["next"] not in seen:
                seen.add(choice["next"])
                queue.append(choice["next"])
    assert seen == set(nodes)
    # Any walk never gets stuck, and from wherever it is a shortest route reaches an end within len(nodes) steps.
    key = data["start"]
    best = shortest_to_end(data)
    for pick in walk:
        node = nodes[key]
        if node["kind"] == "end":
            break
        assert len(node["choices"]) >= 2
        key = node["choices"][pick % len(node["choices"])]["next"]
    for _ in range(len(nodes)):
        if nodes[key]["kind"] == "end":
            break
        key = best[key][1]
    assert nodes[key]["kind"] == "end" and nodes[key]["outcome"]


@given(data=graphs(), walk=st.lists(st.integers(0, 2), max_size=12))
@DB_SETTINGS
def test_random_graphs_are_imported_and_played_to_an_end_or_refused(cast, data, walk):
    data = {**data, "slug": f"r-{uuid.uuid4().hex[:12]}"}
    expected_errors = validate_graph(data)
    try:
        scenario = scenario_import(data, author=cast.author)
    except ScenarioError as exc:
        assert expected_errors and exc.errors
        assert not Scenario.objects.filter(slug=data["slug"]).exists()
        return
    assert not expected_errors
    version = scenario_publish(scenario=scenario, publisher=cast.author)
    registration = attempt_start(rep=cast.rep_a1, version=version)
    best = shortest_to_end(data)
    picks = iter(walk)
    for _ in range(len(walk) + len(data["nodes"]) + 1):
        attempt = Attempt.objects.get(registration=registration)
        if attempt.is_finished:
            break
        pick = next(picks, None)
        node = next(n for n in version.graph["nodes"] if n["key"] == attempt.current_node)
        choice = best[node["key"]][0] if pick is None else node["choices"][pick % len(node["choices"])]["key"]
        choice_make(
            rep=cast.rep_a1,
            registration=registration,
            node_key=attempt.current_node,
            choice=choice,
            statement_id=uuid.uuid4(),
        )
    attempt = Attempt.objects.get(registration=registration)
    assert attempt.is_finished and attempt.outcome


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(value=json_values)
@DB_SETTINGS
def test_random_json_never_crashes_the_importer(cast, value):
    try:
        scenario_import(value, author=cast.author, slug=f"j-{uuid.uuid4().hex[:12]}")
    except ScenarioError as exc:
        assert exc.errors


@st.composite
def damaged_graphs(draw):
    """The tiny valid graph with one random place replaced by a random JSON value."""
    data = copy.deepcopy(tiny_graph())
    container, key = data, draw(st.sampled_from(sorted(data)))
    for _ in range(draw(st.integers(0, 4))):
        value = container[key]
        if isinstance(value, dict) and value:
            container, key = value, draw(st.sampled_from(sorted(value)))
        elif isinstance(value, list) and value:
            container, key = value, draw(st.integers(0, len(value) - 1))
    container[key] = draw(json_values)
    return data


@given(data=damaged_graphs())
@DB_SETTINGS
def test_damaged_scenarios_are_refused_or_imported_never_crash(cast, data):
    try:
        scenario_import(data, author=cast.author, slug=f"d-{uuid.uuid4().hex[:12]}")
    except ScenarioError as exc:
        assert exc.errors


@given(text=st.text(max_size=200))
@settings(max_examples=200, deadline=None, database=None)
def test_random_text_is_parsed_or_refused(text):
    try:
        parse_text(text)
    except FormatError as exc:
        assert exc.errors


@given(
    plays=st.lists(
        st.tuples(st.sampled_from(["rep_a1", "rep_a2", "rep_b1"]), st.lists(st.integers(0, 2), max_size=6)),
        min_size=1,
        max_size=4,
    )
)
@DB_SETTINGS
def test_partner_b_never_sees_partner_as_attempts_through_the_selectors(cast, complaint_version, plays):
    for who, picks in plays:
        rep = getattr(cast, who)
        registration = attempt_start(rep=rep, version=complaint_version)
        for pick in picks:
            attempt = Attempt.objects.get(registration=registration)
            if attempt.is_finished:
                break
            node = next(n for n in complaint_version.graph["nodes"] if n["key"] == attempt.current_node)
            choice_make(
                rep=rep,
                registration=registration,
                node_key=attempt.current_node,
                choice=pick % len(node["choices"]),
                statement_id=uuid.uuid4(),
            )
    a_reps = {cast.rep_a1.pk, cast.rep_a2.pk}
    for outsider in (cast.manager_b, cast.rep_b1):
        assert not any(a.rep_id in a_reps for a in selectors.attempts_visible_to(outsider))
        assert not any(
            r["rep_id"] in a_reps for r in selectors.alignment_by_rep(user=outsider, version=complaint_version)
        )
        assert all(
            r["partner_id"] == cast.partner_b.pk
            for r in selectors.alignment_by_partner(user=outsider, version=complaint_version)
        )
        distribution = selectors.choice_distribution(user=outsider, version=complaint_version)
        assert all(p["id"] != cast.partner_a.pk for p in distribution["partners"])
        assert all(cast.partner_a.pk not in c["by_partner"] for n in distribution["nodes"] for c in n["choices"])
