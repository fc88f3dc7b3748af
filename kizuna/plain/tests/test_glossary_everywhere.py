"""The one way glossary terms are marked on every page a rep reads: {% glossed %} blocks, {% glossary_sheet %},
and the terms each block uses kept per block and glossary state (no query per block, none at all when warm)."""

from django.template import Context, Template
from django.test import RequestFactory

from kizuna.plain import services
from kizuna.plain.selectors import glossary_in_blocks

from .glossary_pages import block_with, glossary_blocks, sheet_terms

PAGE = Template(
    "{% load plain %}"
    '<div class="question-text" data-glossary>{% glossed %}今月のヨミは?{% endglossed %}</div>'
    "<p>稟議の話(ここは読むための本文ではありません)</p>"
    "{% for text in choices %}<label><span data-glossary>{% glossed %}{{ text }}{% endglossed %}</span></label>{% endfor %}"
    "{% glossary_sheet lesson_id %}"
)


def _render(user, **context):
    request = RequestFactory().get("/somewhere/?x=1")
    request.user = user
    return PAGE.render(Context({"request": request, "lesson_id": None, "choices": [], **context}))


def _glossary(cast):
    services.term_save(editor=cast.author, term_ja="ヨミ", explanation_ja="契約になりそうな見込み", is_jargon=True)
    services.term_save(editor=cast.author, term_ja="稟議", explanation_ja="社内の承認")
    services.term_save(editor=cast.author, term_ja="ROI", explanation_ja="使ったお金に対するもうけ")
    services.term_save(editor=cast.author, term_ja="クロージング")  # no explanation: never sent


def test_the_sheet_carries_only_terms_of_glossed_blocks(cast):
    _glossary(cast)
    html = _render(cast.rep_a1, choices=["ROIで比べる", "クロージングを急ぐ"])
    assert sheet_terms(html) == {"ヨミ": "契約になりそうな見込み", "ROI": "使ったお金に対するもうけ"}
    assert [b["text"] for b in glossary_blocks(html)] == ["今月のヨミは?", "ROIで比べる", "クロージングを急ぐ"]
    assert block_with(html, "ROI")["tag"] == "span"
    assert 'id="word-ask"' not in html  # no lesson: nothing to send a word with


def test_with_a_lesson_the_sheet_offers_asking_and_comes_back_here(cast):
    _glossary(cast)
    html = _render(cast.rep_a1, lesson_id=7)
    assert 'action="/learn/lessons/7/words/"' in html
    assert 'name="next" value="/somewhere/?x=1"' in html


def test_a_page_without_terms_or_lesson_has_no_sheet_and_no_script(cast):
    html = _render(cast.rep_a1)
    assert "glossary-sheet" not in html and "glossary.js" not in html


def test_warm_blocks_cost_no_query_and_an_edited_term_is_seen_at_once(cast, django_assert_num_queries):
    _glossary(cast)
    blocks = [f"<p>第{i}問: 今月のヨミを出す</p>" for i in range(40)] + ["<p>ROIは?</p>"]
    user = cast.rep_a1
    with django_assert_num_queries(2):  # the state tokens, the glossary: once for all 41 blocks
        assert {t["term"] for t in glossary_in_blocks(user, blocks)} == {"ヨミ", "ROI"}
    with django_assert_num_queries(0):
        assert {t["term"] for t in glossary_in_blocks(user, blocks)} == {"ヨミ", "ROI"}
    services.term_save(editor=cast.author, term_ja="出す", explanation_ja="提出する")
    fresh = type(user).objects.get(pk=user.pk)  # the next request reads the renewed glossary state
    assert {t["term"] for t in glossary_in_blocks(fresh, blocks)} == {"ヨミ", "出す", "ROI"}
