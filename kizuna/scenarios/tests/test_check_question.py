"""The embedded micro-question: a moment's optional check question, validated, exchanged, answered once."""

import copy

import pytest
from django.urls import reverse

from kizuna.records.models import Statement
from kizuna.records.vocab import ANSWERED
from kizuna.scenarios.errors import ScenarioError
from kizuna.scenarios.exchange import scenario_errors, scenario_export
from kizuna.scenarios.models import Attempt
from kizuna.scenarios.selectors import node_iri, question_result_for
from kizuna.scenarios.services import (
    attempt_start,
    node_question_set,
    question_answer,
    scenario_import,
    scenario_publish,
)
from kizuna.scenarios.validation import Code

from .helpers import tiny_graph

QUESTION = {
    "text": "まず確かめることは?",
    "options": ["値引き", "比較の相手", "決裁者"],
    "correct": 1,
    "explanation": "比較の相手です。",
}


def with_question(question=QUESTION, node=0):
    data = tiny_graph()
    data["nodes"][node]["question"] = copy.deepcopy(question)
    return data


def codes(data):
    return {e.code for e in scenario_errors(data)}


def test_a_valid_check_question_has_no_errors():
    assert scenario_errors(with_question()) == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"options": ["ひとつ"]}, Code.QUESTION_OPTIONS),
        ({"options": ["1", "2", "3", "4", "5"]}, Code.QUESTION_OPTIONS),
        ({"correct": 3}, Code.QUESTION_CORRECT),
        ({"correct": -1}, Code.QUESTION_CORRECT),
        ({"text": "  "}, Code.QUESTION_TEXT),
    ],
)
def test_a_bad_check_question_is_reported_with_its_code(change, code):
    assert code in codes(with_question({**QUESTION, **change}))


def test_only_a_moment_may_have_a_check_question():
    assert Code.QUESTION_ON_END in codes(with_question(node=2))


def test_an_unknown_field_of_the_question_is_a_schema_error():
    assert Code.SCHEMA in codes(with_question({**QUESTION, "answer": 1}))


def test_export_import_keeps_the_check_question(cast, db):
    scenario = scenario_import(with_question(), author=cast.author)
    exported = scenario_export(scenario)
    assert exported["nodes"][0]["question"] == QUESTION
    again = scenario_import(exported, author=cast.author, slug="tiny-again")
    assert scenario_export(again) == {**exported, "slug": "tiny-again"}
    version = scenario_publish(scenario=scenario, publisher=cast.author)
    assert version.graph["nodes"][0]["question"] == QUESTION


def test_the_editor_service_refuses_a_bad_question_and_clears_it(cast, db):
    scenario = scenario_import(tiny_graph(), author=cast.author)
    node = scenario.nodes.get(key="a")
    with pytest.raises(ScenarioError):
        node_question_set(node=node, question={**QUESTION, "correct": 7})
    node_question_set(node=node, question=QUESTION)
    assert scenario_export(scenario)["nodes"][0]["question"] == QUESTION
    node_question_set(node=node, question=None)
    assert "question" not in scenario_export(scenario)["nodes"][0]


@pytest.fixture
def question_version(cast, db):
    scenario = scenario_import(with_question(), author=cast.author)
    return scenario_publish(scenario=scenario, publisher=cast.author)


def test_answering_records_one_answered_statement_once_per_moment(cast, question_version):
    registration = attempt_start(rep=cast.rep_a1, version=question_version)
    before = Statement.objects.count()
    first = question_answer(rep=cast.rep_a1, registration=registration, node_key="a", answer=0)
    again = question_answer(rep=cast.rep_a1, registration=registration, node_key="a", answer=1)
    assert Statement.objects.count() == before + 1
    assert (first.answer, first.success) == (0, False)
    assert again == first  # the first answer stands
    st = Statement.objects.get(verb=ANSWERED.iri, object_iri=node_iri(question_version, "a") + "/question")
    assert st.result == {"response": "0", "success": False}
    assert st.object_definition["interactionType"] == "choice"
    assert st.object_definition["correctResponsesPattern"] == ["1"]
    attempt = Attempt.objects.get(registration=registration)
    # It changes neither the path nor the score of the scenario.
    assert (attempt.path, attempt.score_raw, attempt.current_node) == ([], 0, "a")
    assert question_result_for(attempt, "a") == first


def test_a_moment_without_question_refuses_an_answer(cast, question_version):
    registration = attempt_start(rep=cast.rep_a1, version=question_version)
    with pytest.raises(ScenarioError):
        question_answer(rep=cast.rep_a1, registration=registration, node_key="b", answer=0)


def test_the_rep_answers_on_the_moment_page_and_sees_the_explanation(cast, question_version, client):
    registration = attempt_start(rep=cast.rep_a1, version=question_version)
    attempt = Attempt.objects.get(registration=registration)
    client.force_login(cast.rep_a1)
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk]))
    assert "まず確かめることは?" in page.content.decode()
    response = client.post(reverse("scenarios:scenario_answer", args=[attempt.pk]), {"node": "a", "answer": "1"})
    assert response.status_code == 302
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    assert "比較の相手です。" in page
    assert reverse("scenarios:scenario_answer", args=[attempt.pk]) not in page


def test_the_answer_view_refuses_partner_b(cast, question_version, client):
    registration = attempt_start(rep=cast.rep_a1, version=question_version)
    attempt = Attempt.objects.get(registration=registration)
    for person in (cast.rep_b1, cast.manager_b):
        client.force_login(person)
        response = client.post(reverse("scenarios:scenario_answer", args=[attempt.pk]), {"node": "a", "answer": "1"})
        assert response.status_code == 404
    assert not Statement.objects.filter(object_iri__endswith="/question").exists()


def test_the_editor_saves_the_check_question_and_explains_a_bad_one(cast, signed_in):
    from kizuna.scenarios import services

    scenario = services.scenario_create(author=cast.author, title="T", slug="t")
    node = services.node_create(scenario=scenario, text="高いね。")
    client = signed_in(cast.author)
    url = reverse("scenarios:studio_scenario_node", args=[node.pk])
    p = f"n{node.pk}-"
    fields = {p + "key": "n1", p + "kind": "moment", p + "text": "高いね。", p + "question_text": "まず確かめることは?"}
    bad = client.post(url, {**fields, p + "question_options": "ひとつだけ", p + "question_correct": "1"})
    assert bad.status_code == 200
    assert "確認問題の選択肢は2〜4個" in bad.content.decode()
    node.refresh_from_db()
    assert node.question is None
    options = "値引き\n比較の相手\n決裁者"
    good = {
        **fields,
        p + "question_options": options,
        p + "question_correct": "2",
        p + "question_explanation": "比較の相手です。",
    }
    assert client.post(url, good).status_code == 302
    node.refresh_from_db()
    assert node.question == QUESTION
