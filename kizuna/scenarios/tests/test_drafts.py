"""Draft editing services: moments, choices, the single top rep's choice, ordering, keys and value tags."""

import pytest

from kizuna.scenarios import services
from kizuna.scenarios.errors import ScenarioError
from kizuna.scenarios.exchange import scenario_export
from kizuna.scenarios.models import Choice, Node
from kizuna.scenarios.validation import validate_graph


@pytest.fixture
def draft(cast):
    return services.scenario_create(author=cast.author, title="価格の相談", slug="price")


def test_a_scenario_built_with_the_services_validates_and_publishes(cast, draft):
    value = services.value_tag_create(slug="customer-first", name_ja="顧客第一", name_en="Customer first")
    start = services.node_create(scenario=draft, speaker="お客様", text="高いね。")
    won = services.node_create(scenario=draft, kind="end", outcome="won", text="受注")
    lost = services.node_create(scenario=draft, kind="end", outcome="lost", text="失注")
    draft.refresh_from_db()
    assert draft.start_node == start  # the first moment is the start
    assert [start.key, won.key, lost.key] == ["n1", "n2", "n3"]
    services.choice_create(
        node=start, text="何と比べてですか?", next_node=won, score=3, value_tags=[value], is_reference=True
    )
    services.choice_create(node=start, text="値引きします。", next_node=lost, score=-1)
    data = scenario_export(draft)
    assert validate_graph(data) == []
    assert [c["key"] for c in data["nodes"][0]["choices"]] == ["c1", "c2"]
    version = services.scenario_publish(scenario=draft, publisher=cast.author)
    assert version.graph["nodes"][0]["choices"][0]["value_tags"] == ["customer-first"]


def test_marking_a_choice_as_the_top_reps_unmarks_the_other(draft):
    node = services.node_create(scenario=draft)
    end = services.node_create(scenario=draft, kind="end", outcome="won")
    first = services.choice_create(node=node, text="A", next_node=end, is_reference=True)
    second = services.choice_create(node=node, text="B", next_node=end)
    services.choice_update(choice=second, text="B", next_node=end, is_reference=True)
    assert list(Choice.objects.filter(is_reference=True)) == [second]
    first.refresh_from_db()
    assert not first.is_reference


def test_choices_move_up_and_down(draft):
    node = services.node_create(scenario=draft)
    a = services.choice_create(node=node, text="A")
    b = services.choice_create(node=node, text="B")
    services.choice_move(choice=b, direction=-1)
    assert list(node.choices.values_list("text", flat=True)) == ["B", "A"]
    services.choice_move(choice=b, direction=-1)  # already first: nothing happens
    services.choice_move(choice=a, direction=1)
    assert list(node.choices.values_list("text", flat=True)) == ["B", "A"]


def test_deleting_a_moment_leaves_the_choices_that_led_there_leading_nowhere(draft):
    start = services.node_create(scenario=draft)
    target = services.node_create(scenario=draft, kind="end", outcome="won")
    choice = services.choice_create(node=start, text="A", next_node=target)
    services.node_delete(node=target)
    choice.refresh_from_db()
    assert choice.next_node is None
    assert any(e.code == "choice_no_next" for e in validate_graph(scenario_export(draft)))


def test_keys_are_checked(draft):
    services.node_create(scenario=draft, key="start")
    with pytest.raises(ScenarioError):
        services.node_create(scenario=draft, key="start")
    with pytest.raises(ScenarioError):
        services.node_create(scenario=draft, key="has space")
    with pytest.raises(ScenarioError):
        services.scenario_create(author=None, title="x", slug="price")


def test_a_choice_cannot_lead_into_another_scenario(cast, draft):
    other = services.scenario_create(author=cast.author, title="別", slug="other")
    node = services.node_create(scenario=draft)
    elsewhere = services.node_create(scenario=other)
    with pytest.raises(ScenarioError):
        services.choice_create(node=node, text="A", next_node=elsewhere)


def test_scores_outside_the_range_are_refused(draft):
    node = services.node_create(scenario=draft)
    with pytest.raises(ScenarioError):
        services.choice_create(node=node, text="A", score=11)


def test_renaming_a_moment_keeps_the_choices_that_lead_to_it(draft):
    start = services.node_create(scenario=draft)
    end = services.node_create(scenario=draft, kind="end", outcome="won")
    services.choice_create(node=start, text="A", next_node=end)
    services.node_update(node=end, key="deal", kind="end", speaker="", text="", outcome="won")
    assert scenario_export(draft)["nodes"][0]["choices"][0]["next"] == "deal"


def test_an_end_keeps_no_outcome_when_it_becomes_a_moment(draft):
    node = services.node_create(scenario=draft, kind="end", outcome="won", debrief="x")
    services.node_update(node=node, key=node.key, kind="moment", speaker="", text="")
    node.refresh_from_db()
    assert (node.kind, node.outcome, node.debrief) == (Node.Kind.MOMENT, "", "")


def test_a_coachs_attempt_marks_the_reference_choices(cast, complaint_version, complaint):
    from .helpers import APOLOGY_PATH, play

    Choice.objects.filter(node__scenario=complaint).update(is_reference=False)
    attempt = play(cast.coach, complaint_version, APOLOGY_PATH)
    assert services.scenario_reference_from_attempt(attempt=attempt) == 5
    marked = set(Choice.objects.filter(is_reference=True).values_list("node__key", "key"))
    assert marked == {
        ("opening", "apologize-first"),
        ("vague-apology", "ask-now"),
        ("details", "send-manual"),
        ("manual-sent", "call-now"),
        ("fixed", "close-call"),
    }
