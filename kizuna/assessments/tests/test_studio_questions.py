"""The studio's question editor: every type is written and edited through the form, with feedback and explanation."""

import pytest
from django.urls import reverse

from kizuna.assessments import services
from kizuna.assessments.errors import AssessmentError
from kizuna.assessments.models import Question

from .studio_helpers import form_fields, question_post, rows

# For each type: the posted fields, and what the saved data must say.
CASES = {
    "single": (
        rows(
            {"text": "月額制", "right": True, "feedback": "その通りです。"},
            {"text": "買い切り", "feedback": "買い切りはありません。"},
            {"text": "半額", "weight": "50", "feedback": "惜しい。"},
            {},
        ),
        lambda d: (
            [(o["text"], o["weight"], o["feedback"]) for o in d["options"]]
            == [
                ("月額制", 100.0, "その通りです。"),
                ("買い切り", 0.0, "買い切りはありません。"),
                ("半額", 50.0, "惜しい。"),
            ]
        ),
    ),
    "multiple": (
        rows(
            {"text": "導入支援", "right": True},
            {"text": "電話サポート", "right": True, "feedback": "平日9時から"},
            {"text": "専用端末", "feedback": "別売りです。"},
        ),
        lambda d: (
            [(o["text"], o["weight"]) for o in d["options"]]
            == [("導入支援", 50.0), ("電話サポート", 50.0), ("専用端末", -100.0)]
            and d["options"][2]["feedback"] == "別売りです。"
        ),
    ),
    "truefalse": (
        {"answer": "false", "feedback_true": "いいえ、できません。", "feedback_false": "その通り。"},
        lambda d: d == {"answer": False, "feedback_true": "いいえ、できません。", "feedback_false": "その通り。"},
    ),
    "short": (
        rows({"text": "オートクローズ"}, {"text": "自動締め", "weight": "50", "feedback": "正式名称は?"}),
        lambda d: (
            [(a["text"], a["weight"], a["feedback"]) for a in d["answers"]]
            == [("オートクローズ", 100.0, ""), ("自動締め", 50.0, "正式名称は?")]
        ),
    ),
    "numerical": (
        {
            **rows(
                {"kind": "tolerance", "value": "300", "tolerance": "10"},
                {"kind": "range", "min": "250", "max": "350", "weight": "50", "feedback": "近いです。"},
            ),
            "otherwise_feedback": "料金表を見直しましょう。",
        },
        lambda d: (
            d["answers"][0] | {"id": None}
            == {"id": None, "kind": "tolerance", "value": 300.0, "tolerance": 10.0, "weight": 100.0, "feedback": ""}
            and (d["answers"][1]["min"], d["answers"][1]["max"], d["answers"][1]["weight"]) == (250.0, 350.0, 50.0)
            and d["otherwise_feedback"] == "料金表を見直しましょう。"
        ),
    ),
    "matching": (
        rows(
            {"left": "ライト", "right": "10名まで"}, {"left": "スタンダード", "right": "100名まで"}, {"right": "無制限"}
        ),
        lambda d: (
            [(p["left"], p["right"]) for p in d["pairs"]]
            == [("ライト", "10名まで"), ("スタンダード", "100名まで"), ("", "無制限")]
        ),
    ),
}


@pytest.mark.parametrize("type_code", list(CASES))
def test_an_author_writes_a_question_of_every_type(cast, bank, client, type_code):
    fields, expected = CASES[type_code]
    client.force_login(cast.author)
    url = reverse("assessments:studio_question_new", args=[bank.pk])
    form = client.get(url, {"type": type_code})
    assert form.status_code == 200 and 'name="text"' in form.content.decode()
    response = client.post(
        url,
        question_post(type_code, "新しい問題", explanation="**理由**はこうです。", new_topics="価格, 新機能") | fields,
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    question = Question.objects.get(text="新しい問題")
    assert question.type == type_code and question.bank == bank
    assert question.explanation == "**理由**はこうです。"
    assert expected(question.data), question.data
    assert sorted(t.name_ja for t in question.topics.all()) == ["価格", "新機能"]


@pytest.mark.parametrize("type_code", list(CASES))
def test_an_author_edits_a_question_of_every_type_and_option_ids_are_kept(cast, bank, questions, client, type_code):
    question = questions[type_code]
    client.force_login(cast.author)
    url = reverse("assessments:studio_question", args=[question.pk])
    page = client.get(url).content.decode()
    assert question.text in page
    # Post the form back as the browser renders it, with only the question text changed.
    data = form_fields(page, "question-form") | {"text": "書き直した問題"}
    before = question.data
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    question.refresh_from_db()
    assert question.text == "書き直した問題"
    assert question.data == before  # unchanged options keep their ids, weights and feedback


def test_a_single_choice_without_a_right_answer_says_what_to_fix_and_saves_nothing(cast, bank, client):
    client.force_login(cast.author)
    response = client.post(
        reverse("assessments:studio_question_new", args=[bank.pk]),
        question_post("single", "答えのない問題") | rows({"text": "A"}, {"text": "B"}),
    )
    assert response.status_code == 400
    assert "正解" in response.content.decode()
    assert not Question.objects.filter(text="答えのない問題").exists()


def test_two_ticked_answers_in_a_single_choice_are_refused(cast, bank, client):
    client.force_login(cast.author)
    response = client.post(
        reverse("assessments:studio_question_new", args=[bank.pk]),
        question_post("single", "二つ正解") | rows({"text": "A", "right": True}, {"text": "B", "right": True}),
    )
    assert response.status_code == 400
    assert not Question.objects.filter(text="二つ正解").exists()


def test_a_numerical_answer_without_its_value_points_at_the_row(cast, bank, client):
    client.force_login(cast.author)
    response = client.post(
        reverse("assessments:studio_question_new", args=[bank.pk]),
        question_post("numerical", "数") | rows({"kind": "range", "min": "1"}),
    )
    assert response.status_code == 400
    assert "数値を入力してください" in response.content.decode() or "Enter a number" in response.content.decode()


def test_more_rows_keeps_what_was_typed_and_saves_nothing(cast, bank, client):
    client.force_login(cast.author)
    response = client.post(
        reverse("assessments:studio_question_new", args=[bank.pk]),
        question_post("matching", "結んでください", action="rows") | rows({"left": "A", "right": "1"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="rows-TOTAL_FORMS" value="3"' in page and 'value="A"' in page
    assert not Question.objects.filter(text="結んでください").exists()


def test_an_author_archives_a_question(cast, questions, client):
    question = questions["short"]
    client.force_login(cast.author)
    response = client.post(reverse("assessments:studio_question", args=[question.pk]), {"action": "archive"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.archived_at is not None


def test_a_coach_sees_the_question_and_its_answer_key_but_cannot_change_it(cast, questions, client):
    question = questions["single"]
    client.force_login(cast.coach)
    page = client.get(reverse("assessments:studio_question", args=[question.pk])).content.decode()
    assert "買い切りの販売はしていません。" in page  # the option's feedback in the answer key
    assert 'id="question-form"' not in page
    assert (
        client.post(reverse("assessments:studio_question", args=[question.pk]), {"action": "archive"}).status_code
        == 404
    )
    assert client.get(reverse("assessments:studio_question_new", args=[question.bank_id])).status_code == 404


@pytest.mark.parametrize("who", ["manager_a", "rep_a1", "manager_b", "rep_b1"])
def test_partner_people_never_reach_the_studio(cast, questions, client, who):
    question = questions["single"]
    client.force_login(getattr(cast, who))
    for url in (
        reverse("assessments:studio_banks"),
        reverse("assessments:studio_bank", args=[question.bank_id]),
        reverse("assessments:studio_question", args=[question.pk]),
        reverse("assessments:studio_question_new", args=[question.bank_id]),
        reverse("assessments:studio_bank_export", args=[question.bank_id]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_service_refuses_what_the_form_lets_through(cast, bank):
    with pytest.raises(AssessmentError):
        services.question_create(bank=bank, type="multiple", text="x", data={"options": [{"text": "a", "weight": 10}]})
