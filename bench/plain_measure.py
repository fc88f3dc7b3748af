"""The plain-words assistant measured on the 30 hand-labelled sales texts (`kizuna/plain/tests/sales_texts.py`).

Prints one JSON line: the jargon finder's precision and recall against the hand labels (what it flags as a hard
word: jargon, jargon without explanation, abbreviation, loan word), with the false positives and misses by name;
and how the level (higher is easier) orders the 15 plain texts above the 15 jargon-heavy ones: each group's mean,
the share of (plain, jargon-heavy) pairs in the right order with our level and with the published jReadability
alone (no flagged words counted as hard). The texts, the labels and the finder were written by the same people,
so these are a regression baseline (`kizuna/plain/tests/test_measurement.py` enforces them), not an independent
accuracy. No database is used.

    .venv/bin/python bench/plain_measure.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))


def _ordered(plain: list[float], jargon: list[float]) -> float:
    return sum(p > j for p in plain for j in jargon) / (len(plain) * len(jargon))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    import django

    django.setup()
    from kizuna.plain.analysis import HARD_WORDS, JA, analyse, japanese_level, japanese_tokens
    from kizuna.plain.tests.sales_texts import GLOSSARY, JARGON, PLAIN, TEXTS

    true_pos, false_pos, false_neg = 0, [], []
    levels: dict[str, list[float]] = {PLAIN: [], JARGON: []}
    published: dict[str, list[float]] = {PLAIN: [], JARGON: []}
    for kind, text, labels in TEXTS:
        result = analyse(text, lang=JA, glossary=GLOSSARY)
        found = {f.text for f in result.findings if f.kind in HARD_WORDS}
        true_pos += len(found & labels)
        false_pos += sorted(found - labels)
        false_neg += sorted(labels - found)
        levels[kind].append(result.level)
        published[kind].append(japanese_level(japanese_tokens(text), []))
    print(
        json.dumps(
            {
                "texts": len(TEXTS),
                "labelled_words": true_pos + len(false_neg),
                "precision": round(true_pos / (true_pos + len(false_pos)), 3),
                "recall": round(true_pos / (true_pos + len(false_neg)), 3),
                "false_positives": false_pos,
                "misses": false_neg,
                "mean_level_plain": round(statistics.mean(levels[PLAIN]), 2),
                "mean_level_jargon": round(statistics.mean(levels[JARGON]), 2),
                "pairs_ordered": round(_ordered(levels[PLAIN], levels[JARGON]), 3),
                "published_jreadability_mean_plain": round(statistics.mean(published[PLAIN]), 2),
                "published_jreadability_mean_jargon": round(statistics.mean(published[JARGON]), 2),
                "published_jreadability_pairs_ordered": round(_ordered(published[PLAIN], published[JARGON]), 3),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
