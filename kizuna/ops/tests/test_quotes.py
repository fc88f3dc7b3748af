"""Quotes inside 「」 are written 『』 wherever a message quotes a title that quotes too: no 「「…」」."""

from django.template import Context, Template

from kizuna.ops.errors import ApplicationError
from kizuna.ops.quotes import nest_quotes


def test_a_quote_inside_a_quote_becomes_double_brackets():
    assert nest_quotes("「「高いね」と言われたら」を確認") == "「『高いね』と言われたら」を確認"
    assert nest_quotes("「「価格」「納期」」") == "「『価格』『納期』」"


def test_text_without_nesting_or_with_unbalanced_brackets_is_left_alone():
    assert nest_quotes("本日から新料金プラン「年間契約プラン」") == "本日から新料金プラン「年間契約プラン」"
    assert nest_quotes("「高いね」と言われたら") == "「高いね」と言われたら"
    assert nest_quotes("「開いたまま") == "「開いたまま"
    assert nest_quotes("閉じ」だけ「") == "閉じ」だけ「"
    assert nest_quotes("no quotes") == "no quotes"


def test_an_application_error_quoting_a_quoted_title_reads_naturally():
    assert (
        str(ApplicationError("記事「「高いね」と言われたら」が空です。")) == "記事「『高いね』と言われたら」が空です。"
    )


def test_the_template_filter_escapes_unsafe_text_and_nests():
    out = Template("{% load quotes %}{{ m|nest_quotes }}").render(Context({"m": "「「<b>」」"}))
    assert out == "「『&lt;b&gt;』」"
    block = Template("{% load quotes %}{% filter nest_quotes %}「{{ t }}」{% endfilter %}").render(
        Context({"t": "「高いね」と言われたら"})
    )
    assert block == "「『高いね』と言われたら」"
