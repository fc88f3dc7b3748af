"""Japanese search: words are found although Japanese does not separate them, spellings are normalized,
and a small fixed set of questions is found the way a person would expect."""

import pytest

from kizuna.community import search, selectors
from kizuna.community.models import Question

from .conftest import answer, ask

FIXED_SET = {
    "discount": ("値引きを求められたときの返し方", "見積もりの段階で他社の方が安いと言われました。"),
    "moving": ("引越しシーズンの訪問スケジュール", "3月は引っ越しの繁忙期で、お客様に会えません。"),
    "price": ("料金プランの月額をどう説明するか", "月額300円からのプランを分かりやすく伝えたいです。"),
    "accounting": ("クラウド会計ソフトの導入事例はありますか", "飲食店のお客様向けに事例を探しています。"),
    "closing": ("契約の決め手を聞くコツ", "成約したお客様に何を聞けば良いでしょうか。"),
    "english": ("How to handle the CRM demo", "The customer asked for an English demo of the CRM."),
}


@pytest.fixture
def fixed_set(cast):
    return {
        key: ask(cast.rep_a1 if i % 2 else cast.rep_a2, title=title, body=body)
        for i, (key, (title, body)) in enumerate(FIXED_SET.items())
    }


def found(user, text, **kwargs):
    page = selectors.question_list(user, selectors.ListFilter(q=text), **kwargs)
    return [q.title for q in page.questions]


def test_words_splits_japanese_and_normalizes_spellings():
    assert search.words("引越しの見積りで値引きを求められた") == ["引っ越し", "見積もり", "値引き", "求める"]
    assert search.words("ＡＢＣ株式会社") == ["abc", "株式", "会社"]
    assert search.words("は、が。を") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("値引き", "discount"),
        ("値引きされた", "discount"),  # a verb form of the same word
        ("他社が安い", "discount"),
        ("引っ越し", "moving"),  # written 引越し in the title
        ("引越", "moving"),
        ("月額プラン", "price"),
        ("会計", "accounting"),  # part of the compound 会計ソフト
        ("導入事例", "accounting"),
        ("成約", "closing"),
        ("crm demo", "english"),
    ],
)
def test_a_query_finds_the_question_a_person_expects(cast, fixed_set, query, expected):
    results = found(cast.rep_a1, query)
    assert results and results[0] == fixed_set[expected].title


def test_search_needs_every_word_of_the_query(cast, fixed_set):
    assert found(cast.rep_a1, "値引き 引っ越し") == []


def test_answers_are_searched_too(cast, fixed_set):
    answer(fixed_set["closing"], cast.rep_a2, body="ヒアリングシートを使うと抜け漏れがありません。")
    assert found(cast.rep_a1, "ヒアリングシート") == [fixed_set["closing"].title]


def test_suggestions_rank_the_most_similar_title_first(cast, fixed_set):
    similar = selectors.similar_questions(cast.rep_b1, "お客様から値引きをお願いされた時の返し方")
    assert similar[0] == fixed_set["discount"]


def test_a_search_does_not_show_hidden_questions_to_reps(cast, fixed_set):
    from kizuna.community import services

    services.post_hide(post=fixed_set["discount"], moderator=cast.coach, reason="重複")
    assert found(cast.rep_a1, "値引き") == []
    assert selectors.similar_questions(cast.rep_a1, "値引き") == []
    assert found(cast.coach, "値引き") == [fixed_set["discount"].title]


def test_search_pages_through_many_matches(cast):
    for n in range(25):
        ask(cast.rep_a1, title=f"値引きの相談 その{n}")
    first = found(cast.rep_a1, "値引き", per_page=20)
    second = found(cast.rep_a1, "値引き", page=2, per_page=20)
    assert len(first) == 20 and len(second) == 5 and not set(first) & set(second)
    assert selectors.question_list(cast.rep_a1, selectors.ListFilter(q="値引き")).total == 25


def test_the_index_can_be_rebuilt_from_the_token_columns(cast, fixed_set):
    assert search.rebuild_index() == Question.objects.count()
    assert found(cast.rep_a1, "引っ越し") == [fixed_set["moving"].title]


def test_symbols_and_quotes_in_a_query_are_harmless(cast, fixed_set):
    assert found(cast.rep_a1, '"値引き" * ( \' & | ! :') == [fixed_set["discount"].title]
