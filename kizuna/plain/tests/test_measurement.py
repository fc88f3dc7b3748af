"""The assistant measured on 30 short sales texts with hand-made labels (sales_texts.py).

The figures (README, "Plain words") are asserted so a change that makes the assistant worse fails here.
"""

import statistics

from kizuna.plain.analysis import HARD_WORDS, analyse

from .sales_texts import GLOSSARY, JARGON, PLAIN, TEXTS


def _counts():
    true_pos = false_pos = false_neg = 0
    for _kind, text, labels in TEXTS:
        found = {f.text for f in analyse(text, glossary=GLOSSARY).findings if f.kind in HARD_WORDS}
        true_pos += len(found & labels)
        false_pos += len(found - labels)
        false_neg += len(labels - found)
    return true_pos, false_pos, false_neg


def test_the_fixture_has_fifteen_plain_and_fifteen_jargon_heavy_texts():
    assert [kind for kind, _text, _labels in TEXTS].count(PLAIN) == 15
    assert [kind for kind, _text, _labels in TEXTS].count(JARGON) == 15


def test_the_jargon_finder_keeps_its_precision_and_recall():
    true_pos, false_pos, false_neg = _counts()
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert precision >= 0.9, (true_pos, false_pos, false_neg)
    assert recall >= 0.95, (true_pos, false_pos, false_neg)


def test_the_level_orders_plain_texts_above_jargon_heavy_ones():
    plain = [analyse(t, glossary=GLOSSARY).level for kind, t, _ in TEXTS if kind == PLAIN]
    jargon = [analyse(t, glossary=GLOSSARY).level for kind, t, _ in TEXTS if kind == JARGON]
    ordered = sum(p > j for p in plain for j in jargon) / (len(plain) * len(jargon))
    assert statistics.mean(plain) > statistics.mean(jargon) + 1
    assert ordered >= 0.95
