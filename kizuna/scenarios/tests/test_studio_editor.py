"""The scenario studio through its views: create, add moments and choices, see a precise error, fix it, publish."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.scenarios import services
from kizuna.scenarios.models import Choice, Node, Scenario, ScenarioVersion

from .helpers import tiny_graph


def editor_page(client, scenario):
    response = client.get(reverse("scenarios:studio_scenario", args=[scenario.pk]))
    assert response.status_code == 200
    return response.content.decode()


def card(page, node):
    """The HTML of one moment's card on the editor page."""
    match = re.search(rf'<section class="card scenario-node[^"]*" id="node-{node.pk}".*?</section>', page, re.S)
    assert match, f"no card for {node.key}"
    return match.group(0)


def choice_item(page, choice):
    match = re.search(rf'<li class="scenario-choice-item[^"]*" id="choice-{choice.pk}".*?</li>', page, re.S)
    assert match, f"no item for {choice.key}"
    return match.group(0)


def choice_post(node, **values):
    data = {"text": "", "next_node": "", "score": "0", "commentary": "", "commentary_video": "", "topic_tags": ""}
    data.update(values)
    return {f"new{node.pk}-{name}": value for name, value in data.items()}


def test_an_author_builds_a_scenario_sees_a_precise_error_fixes_it_and_publishes(cast, signed_in):
    client = signed_in(cast.author)
    response = client.post(
        reverse("scenarios:studio_scenario_new"),
        {"title": "価格の相談", "slug": "price", "description": "", "product": "", "topic_tags": "価格交渉"},
    )
    scenario = Scenario.objects.get(slug="price")
    assert response["Location"] == reverse("scenarios:studio_scenario", args=[scenario.pk])
    assert [t.name_ja for t in scenario.tags.all()] == ["価格交渉"]

    client.post(reverse("scenarios:studio_scenario_node_new", args=[scenario.pk]), {"kind": "moment"})
    client.post(reverse("scenarios:studio_scenario_node_new", args=[scenario.pk]), {"kind": "end"})
    start, end = scenario.nodes.order_by("position")
    client.post(
        reverse("scenarios:studio_scenario_node", args=[end.pk]),
        {f"n{end.pk}-key": "won", f"n{end.pk}-kind": "end", f"n{end.pk}-text": "受注", f"n{end.pk}-outcome": "won"},
    )
    client.post(
        reverse("scenarios:studio_scenario_choice_new", args=[start.pk]),
        choice_post(start, text="何と比べてですか?", next_node=end.pk, score="3", is_reference="on"),
    )
    client.post(
        reverse("scenarios:studio_scenario_choice_new", args=[start.pk]), choice_post(start, text="値引きします。")
    )
    dangling = Choice.objects.get(text="値引きします。")

    page = editor_page(client, scenario)
    # The error is shown at the choice concerned, and the publish button is refused.
    assert "場面「n1」の選択肢「c2」に行き先がありません。" in choice_item(page, dangling)
    assert "errorlist choice-problems" in choice_item(page, dangling)
    assert "choice-problems" not in choice_item(page, Choice.objects.get(key="c1"))
    assert re.search(r'<button type="submit" id="publish-button" disabled', page)
    assert f'href="#choice-{dangling.pk}"' in page
    response = client.post(reverse("scenarios:studio_scenario_publish", args=[scenario.pk]))
    assert not ScenarioVersion.objects.exists()  # refused on the server too

    # Fix it: the choice now leads to the end; the error is gone and publishing works.
    response = client.post(
        reverse("scenarios:studio_scenario_choice", args=[dangling.pk]),
        {
            f"c{dangling.pk}-text": "値引きします。",
            f"c{dangling.pk}-next_node": end.pk,
            f"c{dangling.pk}-score": "-1",
            f"c{dangling.pk}-key": dangling.key,
        },
    )
    assert response["Location"].endswith(f"#choice-{dangling.pk}")
    page = editor_page(client, scenario)
    assert "choice-problems" not in page and "node-problems" not in page
    assert re.search(r'<button type="submit" id="publish-button">', page)
    client.post(reverse("scenarios:studio_scenario_publish", args=[scenario.pk]))
    version = ScenarioVersion.objects.get(scenario=scenario)
    assert version.number == 1 and version.graph["nodes"][0]["choices"][1]["next"] == "won"


def test_a_node_error_is_shown_on_its_card_and_only_there(cast, signed_in):
    scenario = services.scenario_create(author=cast.author, title="T", slug="t")
    first = services.node_create(scenario=scenario, text="高いね。")
    orphan = services.node_create(scenario=scenario, kind="end", outcome="lost", text="失注")
    page = editor_page(signed_in(cast.coach), scenario)
    assert "場面「n1」には選択肢が2つ以上必要です(いまは0個です)。" in card(page, first)
    assert "node-problems" in card(page, orphan)  # unreachable
    assert "scenario-node has-problems" in card(page, orphan)


def test_a_bad_key_comes_back_with_a_message_in_the_card_and_nothing_saved(cast, signed_in):
    scenario = services.scenario_create(author=cast.author, title="T", slug="t")
    node = services.node_create(scenario=scenario, text="元の文")
    client = signed_in(cast.author)
    response = client.post(
        reverse("scenarios:studio_scenario_node", args=[node.pk]),
        {f"n{node.pk}-key": "空白 あり", f"n{node.pk}-kind": "moment", f"n{node.pk}-text": "新しい文"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'details class="scenario-edit" open' in card(page, node)
    assert "半角英数字と「-」「_」だけを使ってください。" in card(page, node)
    node.refresh_from_db()
    assert (node.key, node.text) == ("n1", "元の文")


def test_a_bad_picture_is_refused_and_the_moment_is_not_half_saved(cast, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    scenario = services.scenario_create(author=cast.author, title="T", slug="t")
    node = services.node_create(scenario=scenario, text="元の文")
    response = signed_in(cast.author).post(
        reverse("scenarios:studio_scenario_node", args=[node.pk]),
        {
            f"n{node.pk}-key": "n1",
            f"n{node.pk}-kind": "moment",
            f"n{node.pk}-text": "新しい文",
            f"n{node.pk}-image": SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    node.refresh_from_db()
    assert node.text == "元の文" and node.image == ""


def test_choices_are_reordered_deleted_and_the_start_is_set(cast, signed_in, complaint):
    client = signed_in(cast.author)
    opening = complaint.nodes.get(key="opening")
    keys = list(opening.choices.values_list("key", flat=True))
    last = opening.choices.get(key=keys[-1])
    client.post(reverse("scenarios:studio_scenario_choice_move", args=[last.pk]), {"direction": "up"})
    assert list(opening.choices.values_list("key", flat=True)) == [keys[0], keys[2], keys[1]]
    client.post(reverse("scenarios:studio_scenario_choice", args=[last.pk]), {"action": "delete"})
    assert not Choice.objects.filter(pk=last.pk).exists()
    details = complaint.nodes.get(key="details")
    client.post(reverse("scenarios:studio_scenario_start", args=[complaint.pk]), {"node": details.pk})
    complaint.refresh_from_db()
    assert complaint.start_node == details


def test_deleting_a_moment_shows_the_choices_that_led_there(cast, signed_in, complaint):
    client = signed_in(cast.author)
    target = complaint.nodes.get(key="manual-sent")
    client.post(reverse("scenarios:studio_scenario_node", args=[target.pk]), {"action": "delete"})
    assert not Node.objects.filter(pk=target.pk).exists()
    page = editor_page(client, complaint)
    led_there = Choice.objects.get(node__key="details", next_node__isnull=True)
    assert 'class="scenario-nowhere"' in choice_item(page, led_there)
    assert "choice-problems" in choice_item(page, led_there)


def test_the_list_shows_status_and_error_counts(cast, signed_in, complaint):
    broken = services.scenario_create(author=cast.author, title="作りかけ", slug="wip")
    services.node_create(scenario=broken)
    services.scenario_publish(scenario=complaint, publisher=cast.author)
    page = signed_in(cast.author).get(reverse("scenarios:studio_scenarios")).content.decode()
    rows = {
        title: row
        for title, row in re.findall(r'<strong class="scenario-row-title">(.*?)</strong>(.*?)</li>', page, re.S)
    }
    assert "v1" in rows["クレーム対応 ― 最初のひとことで決まる"]
    assert "badge required" not in rows["クレーム対応 ― 最初のひとことで決まる"]
    assert "badge draft" in rows["作りかけ"] and "badge required" in rows["作りかけ"]


def test_the_list_and_the_editor_use_a_fixed_number_of_queries(cast, signed_in, complaint):
    client = signed_in(cast.author)
    small = services.scenario_create(author=cast.author, title="小", slug="small")
    services.node_create(scenario=small)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("scenarios:studio_scenarios"))
    for n in range(3):
        services.node_create(scenario=services.scenario_create(author=cast.author, title=f"S{n}", slug=f"s{n}"))
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("scenarios:studio_scenarios"))
    assert len(one) == len(four)

    tiny = services.scenario_import(tiny_graph(), author=cast.author)  # 4 moments and ends, 4 choices
    with CaptureQueriesContext(connection) as few:
        editor_page(client, tiny)
    with CaptureQueriesContext(connection) as many:
        editor_page(client, complaint)  # 13 moments and ends, 25 choices
    assert len(many) <= len(few) + 1  # the product the example refers to
    assert len(many) <= 25


@pytest.mark.parametrize("role", ["manager_a", "rep_a1", "manager_b", "rep_b1"])
def test_people_without_an_editor_role_get_404(cast, signed_in, complaint, role):
    client = signed_in(getattr(cast, role))
    node = complaint.nodes.first()
    for url in (
        reverse("scenarios:studio_scenarios"),
        reverse("scenarios:studio_scenario_new"),
        reverse("scenarios:studio_scenario_values"),
        reverse("scenarios:studio_scenario_import"),
        reverse("scenarios:studio_scenario", args=[complaint.pk]),
        reverse("scenarios:studio_scenario_map", args=[complaint.pk]),
        reverse("scenarios:studio_scenario_export", args=[complaint.pk]),
        reverse("scenarios:studio_scenario_node", args=[node.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("scenarios:studio_scenario_publish", args=[complaint.pk])).status_code == 404
    assert (
        client.post(reverse("scenarios:studio_scenario_node", args=[node.pk]), {"action": "delete"}).status_code == 404
    )
    assert Node.objects.filter(pk=node.pk).exists()


def test_a_shape_error_found_by_its_data_path_is_placed_on_its_choice(cast, complaint):
    from kizuna.scenarios.editor import draft_problems
    from kizuna.scenarios.selectors import draft_nodes

    details = complaint.nodes.get(key="details")
    second = list(details.choices.all())[1]
    Choice.objects.filter(pk=second.pk).update(text="")  # what an old row or a bug could leave behind
    nodes = draft_nodes(complaint)
    problems = draft_problems(complaint, nodes)
    index = [node.key for node in nodes].index("details")
    assert [p.error.path for p in problems.all] == [f"nodes[{index}].choices[1].text"]  # no key in the error
    assert [p.choice for p in problems.all] == [second]
    assert problems.all[0].anchor == f"choice-{second.pk}"
    assert details.pk in problems.nodes_with_problems()
