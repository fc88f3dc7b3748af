"""Every question type checks answers by its own rules, behind one interface."""

import random

import pytest
from django.http import QueryDict

from kizuna.assessments.types import question_type, question_types, type_class
from kizuna.assessments.types.base import AnswerError, QuestionDataError
from kizuna.assessments.types.choice import multiple_weights
from kizuna.assessments.types.normalize import normalize_answer, parse_number


def make(code, data):
    return question_type(code, type_class(code).clean(data))


SINGLE = {
    "options": [
        {"text": "月額制", "weight": 100},
        {"text": "買い切り", "weight": 0, "feedback": "買い切りはありません。"},
        {"text": "半額", "weight": 50, "feedback": "惜しい"},
    ]
}


def test_every_type_is_registered_once_with_its_xapi_interaction_type():
    codes = {cls.code: cls.interaction_type for cls in question_types()}
    assert codes == {
        "single": "choice",
        "multiple": "choice",
        "truefalse": "true-false",
        "short": "fill-in",
        "numerical": "numeric",
        "matching": "matching",
        "essay": "long-fill-in",
        "description": "other",
    }


def test_single_choice_scores_the_chosen_weight_and_gives_its_feedback():
    q = make("single", SINGLE)
    assert [o["id"] for o in q.data["options"]] == ["1", "2", "3"]
    right = q.check({"choice": "1"})
    assert (right.score, right.correct, right.feedback) == (1.0, True, {})
    wrong = q.check({"choice": "2"})
    assert (wrong.score, wrong.correct, wrong.feedback) == (0.0, False, {"2": "買い切りはありません。"})
    partial = q.check({"choice": "3"})
    assert (partial.score, partial.correct) == (0.5, False)


def test_single_choice_refuses_data_without_a_right_or_a_wrong_option():
    with pytest.raises(QuestionDataError):
        type_class("single").clean({"options": [{"text": "a", "weight": 0}, {"text": "b", "weight": 0}]})
    with pytest.raises(QuestionDataError):
        type_class("single").clean({"options": [{"text": "a", "weight": 100}, {"text": "b", "weight": 100}]})
    with pytest.raises(QuestionDataError):
        type_class("single").clean({"options": [{"text": "a", "weight": 100}]})
    with pytest.raises(QuestionDataError):
        type_class("single").clean({"options": [{"text": "", "weight": 100}, {"text": "b"}]})


def test_single_choice_refuses_an_option_that_does_not_exist():
    q = make("single", SINGLE)
    with pytest.raises(AnswerError):
        q.parse_answer({"choice": "9"})
    with pytest.raises(AnswerError):
        q.parse_answer("1")


def test_multiple_choice_gives_partial_credit_and_never_below_zero():
    weights = multiple_weights([True, True, False])
    assert weights == [50.0, 50.0, -100.0]
    q = make("multiple", {"options": [{"text": t, "weight": w} for t, w in zip("abc", weights, strict=True)]})
    assert q.check({"choices": ["1", "2"]}).correct
    half = q.check({"choices": ["1"]})
    assert (half.score, half.correct) == (0.5, False)
    assert q.check({"choices": ["1", "2", "3"]}).score == 0.0  # choosing everything earns nothing
    assert q.check({"choices": ["3"]}).score == 0.0


def test_multiple_choice_weights_of_the_right_options_must_add_up_to_100():
    with pytest.raises(QuestionDataError):
        type_class("multiple").clean({"options": [{"text": "a", "weight": 50}, {"text": "b", "weight": 0}]})


def test_true_false_feedback_belongs_to_the_chosen_answer():
    q = make("truefalse", {"answer": False, "feedback_true": "違います", "feedback_false": "その通り"})
    assert q.check({"choice": "false"}).correct
    wrong = q.check({"choice": "true"})
    assert (wrong.correct, wrong.feedback) == (False, {"true": "違います"})
    assert q.shuffle_order(random.Random(1), shuffle=True) == ["true", "false"]
    assert q.xapi_interaction() == {"interactionType": "true-false", "correctResponsesPattern": ["false"]}


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("オートクローズ", True),
        ("おーとくろーず", True),  # hiragana for katakana
        ("ｵｰﾄｸﾛｰｽﾞ", True),  # half-width katakana
        ("  オート　クローズ ", False),  # inner ideographic space makes it another answer
        ("ＡＢＣ", True),  # full-width letters, any case
        ("abc", True),
        ("オートクローズ機能", False),
    ],
)
def test_short_answers_are_normalized_for_width_kana_and_case(typed, accepted):
    q = make("short", {"answers": [{"text": "オートクローズ"}, {"text": "abc"}]})
    assert q.check(q.parse_answer({"text": typed})).correct is accepted


def test_normalization_folds_width_kana_case_and_spaces():
    assert normalize_answer("  Ｋｉｚｕｎａ　カイギ ") == "kizuna かいぎ"
    assert normalize_answer("ｶｲｷﾞ") == normalize_answer("カイギ") == "かいぎ"
    assert normalize_answer("ヴァ") == "ゔぁ"


def test_short_answer_takes_the_best_matching_weight_and_wildcards():
    q = make(
        "short",
        {
            "answers": [
                {"text": "オートクローズ", "weight": 100},
                {"text": "自動*", "weight": 50, "feedback": "正式名称で答えましょう"},
                {"text": "手動", "weight": 0, "feedback": "自動です"},
            ]
        },
    )
    half = q.check({"text": "自動締め"})
    assert (half.score, half.correct, half.feedback) == (0.5, False, {"2": "正式名称で答えましょう"})
    assert q.check({"text": "手動"}).feedback == {"3": "自動です"}
    assert q.answer_options({"text": "手動"}) == ["3"]
    assert q.answer_options({"text": "なにか"}) == ["other"]
    assert q.xapi_interaction()["correctResponsesPattern"] == ["{case_matters=false}オートクローズ"]


@pytest.mark.parametrize(
    ("typed", "value"),
    [("３００", 300.0), ("1,200", 1200.0), ("−5", -5.0), ("－２．５", -2.5), (" 3.14 ", 3.14), ("1e3", 1000.0)],
)
def test_numbers_are_read_from_full_width_digits_commas_and_minus_signs(typed, value):
    assert parse_number(typed) == value


def test_numerical_accepts_a_tolerance_or_a_range_and_refuses_words():
    q = make(
        "numerical",
        {
            "answers": [
                {"kind": "tolerance", "value": 3.14, "tolerance": 0.01, "weight": 100},
                {"kind": "range", "min": 3, "max": 3.5, "weight": 50, "feedback": "もう少し正確に"},
            ],
            "otherwise_feedback": "円周率です",
        },
    )
    assert q.check(q.parse_answer({"text": "３.１４５"})).correct
    close = q.check(q.parse_answer({"text": "3.2"}))
    assert (close.score, close.feedback) == (0.5, {"2": "もう少し正確に"})
    far = q.check(q.parse_answer({"text": "10"}))
    assert (far.score, far.feedback) == (0.0, {"other": "円周率です"})
    with pytest.raises(AnswerError):
        q.parse_answer({"text": "さんてんいちよん"})
    assert q.xapi_interaction()["correctResponsesPattern"] == ["3.13[:]3.15"]


def test_numerical_refuses_an_upside_down_range():
    with pytest.raises(QuestionDataError):
        type_class("numerical").clean({"answers": [{"kind": "range", "min": 5, "max": 1}]})


def test_matching_scores_the_share_of_items_matched_right():
    q = make(
        "matching",
        {"pairs": [{"left": "猫", "right": "魚"}, {"left": "犬", "right": "骨"}, {"left": "", "right": "草"}]},
    )
    assert [c["text"] for c in q.choices()] == ["魚", "骨", "草"]
    assert q.check({"matches": {"1": "1", "2": "2"}}).correct
    half = q.check({"matches": {"1": "1", "2": "3"}})
    assert (half.score, half.correct) == (0.5, False)
    interaction = q.xapi_interaction()
    assert interaction["correctResponsesPattern"] == ["1[.]1[,]2[.]2"]
    assert len(interaction["target"]) == 3
    assert q.response_text({"matches": {"1": "1", "2": "3"}}) == "1[.]1[,]2[.]3"


def test_matching_needs_two_pairs_and_no_arrow_in_an_item():
    with pytest.raises(QuestionDataError):
        type_class("matching").clean({"pairs": [{"left": "a", "right": "b"}]})
    with pytest.raises(QuestionDataError):
        type_class("matching").clean({"pairs": [{"left": "a->", "right": "b"}, {"left": "c", "right": "d"}]})


def test_the_option_order_comes_from_the_seeded_rng_and_is_reproducible():
    q = make("single", {"options": [{"text": str(n), "weight": 100 if n == 0 else 0} for n in range(8)]})
    first = q.shuffle_order(random.Random(42), shuffle=True)
    assert first == q.shuffle_order(random.Random(42), shuffle=True)
    assert sorted(first) == q.option_ids()
    assert first != q.option_ids()
    assert q.shuffle_order(random.Random(42), shuffle=False) == q.option_ids()
    shown = q.render(name="q-x", order=first, answer={"choice": first[0]})
    assert [o["id"] for o in shown["options"]] == first
    assert shown["options"][0]["checked"] and not shown["options"][1]["checked"]


def test_each_type_reads_its_own_form_fields():
    single = make("single", SINGLE)
    assert single.answer_from_form(QueryDict("q-k=2"), "q-k") == {"choice": "2"}
    assert single.answer_from_form(QueryDict(""), "q-k") is None
    multiple = make("multiple", {"options": [{"text": "a", "weight": 50}, {"text": "b", "weight": 50}]})
    assert multiple.answer_from_form(QueryDict("q-k=1&q-k=2"), "q-k") == {"choices": ["1", "2"]}
    short = make("short", {"answers": [{"text": "x"}]})
    assert short.answer_from_form(QueryDict("q-k=%20%20"), "q-k") is None
    matching = make("matching", {"pairs": [{"left": "a", "right": "b"}, {"left": "c", "right": "d"}]})
    assert matching.answer_from_form(QueryDict("q-k-1=2&q-k-2="), "q-k") == {"matches": {"1": "2"}}
