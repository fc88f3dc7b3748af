"""The analyser on fixed texts: what it flags, where, what it suggests, and the readability level."""

import pytest
from jreadability import compute_readability

from kizuna.plain.analysis import GlossaryEntry, analyse, japanese_level, japanese_tokens

ROI = GlossaryEntry("ROI", "かけたお金に対するもうけの割合", "費用対効果", True, 1)
UNEXPLAINED = GlossaryEntry("ヨミ", "", "", True, 2)
PLAIN_TERM = GlossaryEntry("月額プラン", "毎月同じ金額を払うプラン", "", False, 3)
GLOSSARY = [ROI, UNEXPLAINED, PLAIN_TERM]


def kinds(text, **kwargs):
    return [(f.kind, f.text) for f in analyse(text, glossary=GLOSSARY, **kwargs).findings]


def test_it_flags_an_insider_term_at_its_place_with_the_glossary_wording():
    text = "今期はROIを上げます。"
    [finding] = analyse(text, glossary=GLOSSARY).findings
    assert (finding.kind, finding.text, finding.start, finding.end) == ("jargon", "ROI", 3, 6)
    assert text[finding.start : finding.end] == "ROI"
    assert "費用対効果" in finding.suggestion and "かけたお金に対するもうけの割合" in finding.suggestion


def test_a_term_explained_where_it_is_first_used_is_not_flagged_again():
    assert kinds("ROI（かけたお金に対するもうけ）を見ます。ROIは大切です。") == []
    assert kinds("ROIとは、かけたお金に対するもうけのことです。") == []
    assert kinds("ROI、つまり費用対効果を見ます。") == []  # its plain wording in the same sentence


def test_an_insider_term_without_an_explanation_in_the_glossary_blocks_publishing():
    analysis = analyse("今月のヨミを出してください。", glossary=GLOSSARY)
    assert [(f.kind, f.text) for f in analysis.blocking] == [("jargon_without_explanation", "ヨミ")]


def test_a_glossary_term_that_is_not_jargon_is_fine():
    assert kinds("料金は月額プランです。") == []


def test_a_term_inside_a_longer_katakana_word_is_not_that_term():
    glossary = [GlossaryEntry("リード", "見込みのお客様", "", True)]
    found = [(f.kind, f.text) for f in analyse("リードタイムを短くします。", glossary=glossary).findings]
    assert ("jargon", "リード") not in found
    assert ("loanword", "リードタイム") in found


def test_it_flags_unknown_abbreviations_but_not_everyday_ones():
    assert kinds("CACとＬＴＶを比べます。") == [("abbreviation", "CAC"), ("abbreviation", "ＬＴＶ")]
    assert kinds("OKならPCからメールで送ります。") == []


def test_it_flags_unknown_katakana_loan_words_but_not_everyday_ones():
    assert kinds("ソリューションを提案します。") == [("loanword", "ソリューション")]
    assert kinds("パンフレットをメールで送ります。") == []


def test_it_flags_a_long_sentence_by_its_characters():
    long = "お客様の会社の人数と毎月の予算と今使っている道具と困っていることを順番に聞いてから、私たちの商品が合うかどうかを一緒に考えて、次に会う日を決めます。"
    [finding] = analyse(long).findings
    assert (finding.kind, finding.start, finding.end) == ("long_sentence", 0, len(long))
    assert kinds("お客様の話を聞きます。次に会う日を決めます。") == []


def test_english_texts_get_flesch_and_word_counted_long_sentences():
    plain = analyse("Call the customer. Ask what they need. Write it down.", lang="en")
    hard = analyse(
        "Leverage synergistic enablement initiatives to operationalize cross-functional revenue optimization.",
        lang="en",
        glossary=GLOSSARY,
    )
    assert plain.level > 80 > hard.level
    assert plain.band in ("very_easy", "easy")


def test_the_level_is_the_published_jreadability_formula_when_no_word_is_flagged():
    text = "お客様に電話をかける前に、前回の話を読み返しましょう。相手の名前を確かめてから話します。"
    analysis = analyse(text)
    assert analysis.findings == []
    assert analysis.level == pytest.approx(compute_readability(text))


def test_flagged_words_count_as_hard_vocabulary_in_the_level():
    text = "アップセルとクロスセルでチャーンを減らします。"
    assert analyse(text).level < japanese_level(japanese_tokens(text))


def test_the_json_document_has_exactly_the_contracts_keys():
    document = analyse("今期はROIを上げます。", glossary=GLOSSARY).as_json()
    assert set(document) == {"level", "level_label", "findings"}
    assert set(document["findings"][0]) == {"text", "kind", "start", "end", "suggestion"}


def test_it_refuses_an_empty_text():
    with pytest.raises(ValueError):
        analyse("  \n")
