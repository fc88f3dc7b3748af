"""How typed answers are compared: the same answer typed on any Japanese phone keyboard counts the same."""

import re
import unicodedata

# Katakana ァ..ヶ and the iteration marks ヽヾ fold onto hiragana ぁ..ゖ, ゝゞ (same offset).
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)} | {0x30FD: 0x309D, 0x30FE: 0x309E}


def fold_kana(text: str) -> str:
    """Turn katakana into hiragana, so that カイギ and かいぎ compare equal."""
    return text.translate(_KATAKANA_TO_HIRAGANA)


def normalize_answer(text: str) -> str:
    """Normalize a typed answer: NFKC (full-width ↔ half-width), katakana → hiragana, case, spaces.

    NFKC turns full-width letters and digits (ＡＢＣ１２３) and half-width katakana (ｶｲｷﾞ)
    into their usual forms and the ideographic space into a space; then katakana fold
    onto hiragana, case folds, runs of spaces become one and the ends are trimmed.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = unicodedata.normalize("NFKC", fold_kana(text).casefold())
    return " ".join(text.split())


def answer_matches(pattern: str, response: str) -> bool:
    """Whether a normalized response matches an accepted answer, in which * stands for any text (as in Moodle)."""
    want = normalize_answer(pattern)
    if "*" not in want:
        return want == response
    regex = ".*".join(re.escape(part) for part in want.split("*"))
    return re.fullmatch(regex, response, flags=re.DOTALL) is not None


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?")


def parse_number(text: str) -> float:
    """Read a typed number: full-width digits, a full-width or typographic minus, thousands commas and spaces."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip().lower()
    cleaned = cleaned.replace("\u2212", "-")  # the typographic minus sign (NFKC leaves it)
    cleaned = re.sub(r"[,\s_]", "", cleaned)
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    return float(cleaned)
