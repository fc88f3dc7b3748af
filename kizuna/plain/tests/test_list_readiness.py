"""The studio's lists say what publishing says: a draft that publishing refuses over an unexplained insider term is
never shown without errors, and the lists run publishing's own check (catalog.text_checks) once per draft version
and glossary state, not once per page view."""

import re

import pytest
from django.urls import reverse

from kizuna.plain import services
from kizuna.scenarios import editor
from kizuna.scenarios import services as scenarios
from kizuna.scenarios.errors import ScenarioError
from kizuna.scenarios.tests.helpers import tiny_graph


@pytest.fixture
def yomi(cast):
    return services.term_save(editor=cast.author, term_ja="ヨミ", is_jargon=True)


def _scenario(cast, *, slug, commentary="お客様の言葉を繰り返します。"):
    data = tiny_graph(slug=slug, title=f"シナリオ {slug}")
    data["nodes"][1]["choices"][0]["commentary"] = commentary
    return scenarios.scenario_import(data, author=cast.author)


def _rows(client):
    page = client.get(reverse("scenarios:studio_scenarios")).content.decode()
    return dict(re.findall(r'<strong class="scenario-row-title">(.*?)</strong>(.*?)</li>', page, re.S))


@pytest.fixture
def counted(monkeypatch):
    """Count the drafts the list analyses (publishing's own term_errors, as the list calls it)."""
    calls = []
    real = editor.term_errors

    def counting(graph, check=None):
        calls.append(graph["title"])
        return real(graph, check)

    monkeypatch.setattr(editor, "term_errors", counting)
    return calls


def test_the_list_shows_errors_for_a_scenario_that_publishing_refuses_over_an_unexplained_term(cast, signed_in, yomi):
    refused = _scenario(cast, slug="yomi", commentary="ここでヨミを確かめます。")
    plain = _scenario(cast, slug="plain")
    with pytest.raises(ScenarioError):
        scenarios.scenario_publish(scenario=refused, publisher=cast.author)
    rows = _rows(signed_in(cast.author))
    assert "badge required" in rows["シナリオ yomi"] and "unexplained-terms" in rows["シナリオ yomi"]
    assert "エラー1件" in rows["シナリオ yomi"]  # the moment with the term: what publishing names
    assert "badge required" not in rows["シナリオ plain"]
    assert scenarios.scenario_publish(scenario=plain, publisher=cast.author).number == 1


def test_explaining_the_term_clears_the_list_at_once_and_publishing_then_accepts(cast, signed_in, yomi):
    scenario = _scenario(cast, slug="yomi", commentary="ここでヨミを確かめます。")
    client = signed_in(cast.author)
    assert "unexplained-terms" in _rows(client)["シナリオ yomi"]
    services.term_explain(editor=cast.author, term=yomi, explanation="契約になりそうな見込み", lang="ja")
    assert "badge required" not in _rows(client)["シナリオ yomi"]
    assert scenarios.scenario_publish(scenario=scenario, publisher=cast.author).number == 1


def test_a_newly_flagged_insider_term_shows_in_the_list_without_any_draft_changing(cast, signed_in, yomi):
    _scenario(cast, slug="kgi", commentary="まずKGIを決めます。")
    client = signed_in(cast.author)
    assert "badge required" not in _rows(client)["シナリオ kgi"]
    services.term_save(editor=cast.author, term_ja="KGI", is_jargon=True)
    assert "unexplained-terms" in _rows(client)["シナリオ kgi"]


def test_the_list_analyses_each_draft_once_per_version_not_per_view(cast, signed_in, yomi, counted):
    first = _scenario(cast, slug="one", commentary="ここでヨミを確かめます。")
    _scenario(cast, slug="two")
    client = signed_in(cast.author)
    _rows(client)
    assert sorted(counted) == ["シナリオ one", "シナリオ two"]
    counted.clear()
    _rows(client)
    _rows(client)
    assert counted == []  # unchanged drafts, unchanged glossary: nothing analysed
    choice = first.nodes.get(key="b").choices.order_by("position").first()
    scenarios.choice_update(
        choice=choice, text=choice.text, next_node=choice.next_node, commentary="丁寧に確かめます。"
    )
    rows = _rows(client)
    assert counted == ["シナリオ one"]  # only the edited draft is read again
    assert "badge required" not in rows["シナリオ one"]


def test_with_no_unexplained_term_in_the_glossary_the_list_reads_no_text(cast, signed_in, counted):
    _scenario(cast, slug="one", commentary="ここでヨミを確かめます。")
    _rows(signed_in(cast.author))
    assert counted == []
