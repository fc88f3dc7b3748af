"""The exchange format: JSON and YAML round trips, and imports refused with every error listed and nothing written."""

import json

import pytest

from kizuna.scenarios.errors import FormatError, ScenarioError
from kizuna.scenarios.exchange import dump_json, dump_yaml, parse_text, scenario_export
from kizuna.scenarios.models import Choice, Node, Scenario, ValueTag
from kizuna.scenarios.services import scenario_import
from kizuna.scenarios.validation import Code

from .helpers import EXAMPLE, example_data, tiny_graph


def test_importing_the_example_gives_back_the_file_on_export(cast, complaint):
    assert scenario_export(complaint) == example_data()
    assert complaint.nodes.count() == 10
    assert complaint.start_node.key == "opening"
    assert set(ValueTag.objects.values_list("name_ja", flat=True)) == {"顧客第一", "当事者意識"}
    reference = Choice.objects.get(node__scenario=complaint, node__key="opening", is_reference=True)
    assert reference.text.startswith("「詳しくお聞かせいただけますか")
    assert "自分ならこう考えます" in reference.commentary


@pytest.mark.parametrize("dump", [dump_json, dump_yaml])
def test_export_import_export_is_identical(cast, complaint, dump):
    first = scenario_export(complaint)
    text = dump(first)
    again = scenario_import(text, author=cast.author, slug="complaint-copy")
    second = scenario_export(again)
    assert second == {**first, "slug": "complaint-copy"}
    assert dump(second) == dump(first).replace("complaint-handling", "complaint-copy")


def test_the_format_is_told_apart_by_content():
    data = tiny_graph()
    assert parse_text(json.dumps(data)) == data
    assert parse_text(dump_yaml(data).encode()) == data
    with pytest.raises(FormatError) as exc:
        parse_text("{ not json")
    assert "JSON" in str(exc.value)
    with pytest.raises(FormatError):
        parse_text("a: [unclosed")


def test_an_import_with_errors_lists_every_error_and_writes_nothing(cast, db):
    data = tiny_graph()
    data["nodes"][0]["choices"][0]["score"] = 99  # schema
    data["nodes"][0]["choices"][1]["next"] = "nowhere"  # graph
    data["nodes"][1]["colour"] = "red"  # unknown field
    data["nodes"][2]["outcome"] = None  # end without outcome
    data["product"] = "no-such-product"
    with pytest.raises(ScenarioError) as exc:
        scenario_import(data, author=cast.author)
    found = {(e.code, e.path or e.node) for e in exc.value.errors}
    assert (Code.SCHEMA, "nodes[0].choices[0].score") in found
    assert (Code.SCHEMA, "nodes[1].colour") in found
    assert (Code.CHOICE_UNKNOWN_NEXT, "a") in found
    assert (Code.END_WITHOUT_OUTCOME, "won") in found
    assert not Scenario.objects.exists() and not Node.objects.exists()


def test_references_to_missing_products_videos_and_value_tags_are_refused(cast, db):
    data = tiny_graph(product="no-such-product")
    data["nodes"][0]["video"] = "00000000-0000-0000-0000-000000000000"
    data["nodes"][0]["choices"][0]["value_tags"] = ["undefined-value"]
    with pytest.raises(ScenarioError) as exc:
        scenario_import(data, author=cast.author)
    assert {e.code for e in exc.value.errors} == {Code.UNKNOWN_PRODUCT, Code.UNKNOWN_VIDEO, Code.UNKNOWN_VALUE_TAG}
    assert not Scenario.objects.exists() and not ValueTag.objects.exists()


def test_a_wrong_format_version_is_refused(cast, db):
    with pytest.raises(ScenarioError) as exc:
        scenario_import(tiny_graph(format_version=2), author=cast.author)
    assert [e.code for e in exc.value.errors] == [Code.FORMAT_VERSION]


def test_an_existing_slug_is_refused_unless_replacing(cast, db):
    scenario = scenario_import(tiny_graph(), author=cast.author)
    with pytest.raises(ScenarioError) as exc:
        scenario_import(tiny_graph(), author=cast.author)
    assert [e.code for e in exc.value.errors] == [Code.SLUG_TAKEN]
    changed = tiny_graph(title="改訂版")
    changed["nodes"][3]["debrief"] = "新しい振り返り"
    replaced = scenario_import(changed, author=cast.author, replace=True)
    assert replaced.pk == scenario.pk and replaced.key == scenario.key
    exported = scenario_export(replaced)
    assert exported["title"] == "改訂版"
    assert exported["nodes"][3]["debrief"] == "新しい振り返り"
    assert Node.objects.filter(scenario=scenario).count() == 4  # replaced, not added to


def test_a_slug_may_come_from_the_caller_instead_of_the_file(cast, db):
    data = tiny_graph()
    del data["slug"]
    assert scenario_import(data, author=cast.author, slug="from-caller").slug == "from-caller"
    with pytest.raises(ScenarioError):
        scenario_import(data, author=cast.author)


def test_the_example_file_reads_as_yaml(cast, product):
    scenario = scenario_import(EXAMPLE.read_bytes(), author=cast.author)
    assert scenario.title.startswith("クレーム対応")
