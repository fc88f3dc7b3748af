"""The plain-words analyser: jargon, unknown abbreviations and loan words, long sentences, and a readability level.

Pure: it reads no database and renders nothing. The glossary comes in as `GlossaryEntry` values (the
studio passes the principal's, `plain_check --glossary` one read from a CSV file), and the result is an
`Analysis` whose `as_json()` is the `plain_check` contract (README, "Plain words").

Japanese readability is Lee Jae-ho and Hasebe's jReadability formula (2016) on a MeCab tokenizer (fugashi)
with UniDic (unidic-lite), whose word-origin field (語種) gives the kango and wago ratios. The formula was
fitted on texts for learners of Japanese, to whom katakana loan words are easy (their ratio has no weight),
so on its own it rates a text full of katakana sales jargon as easy as a plain one. The level we report
therefore counts the tokens of the words the analyser flags (jargon used without explanation, unknown
abbreviations and loan words) as kango, the formula's hard vocabulary; a text with no flagged word gets
exactly the published formula's score (tested against the `jreadability` package). English readability is
the Flesch reading ease, through textstat. On both scales a higher number means an easier text.
"""

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

JA, EN = "ja", "en"
LANGS = (JA, EN)

# A sentence longer than this reads as two or three: characters in Japanese, words in English.
LONG_SENTENCE = {JA: 60, EN: 25}

# jReadability's bands (Lee & Hasebe): the lower bound of each, easiest first.
JA_BANDS = (
    (5.5, "lower_elementary"),
    (4.5, "upper_elementary"),
    (3.5, "lower_intermediate"),
    (2.5, "upper_intermediate"),
    (1.5, "lower_advanced"),
    (float("-inf"), "upper_advanced"),
)
# Flesch reading ease bands (Flesch 1948): 60-70 is plain English, about 8th-9th grade (middle school).
EN_BANDS = (
    (90.0, "very_easy"),
    (80.0, "easy"),
    (70.0, "fairly_easy"),
    (60.0, "plain"),
    (50.0, "fairly_difficult"),
    (30.0, "difficult"),
    (float("-inf"), "very_difficult"),
)


def level_labels() -> dict[str, str]:
    """Return the name of every band, in the active language."""
    return {
        "lower_elementary": _("very easy (jReadability 5.5–6.4, beginner)"),
        "upper_elementary": _("easy (jReadability 4.5–5.4)"),
        "lower_intermediate": _("plain (jReadability 3.5–4.4)"),
        "upper_intermediate": _("somewhat difficult (jReadability 2.5–3.4)"),
        "lower_advanced": _("difficult (jReadability 1.5–2.4)"),
        "upper_advanced": _("very difficult (jReadability below 1.5)"),
        "very_easy": _("very easy (Flesch 90–100)"),
        "easy": _("easy (Flesch 80–89)"),
        "fairly_easy": _("fairly easy (Flesch 70–79)"),
        "plain": _("plain English (Flesch 60–69)"),
        "fairly_difficult": _("fairly difficult (Flesch 50–59)"),
        "difficult": _("difficult (Flesch 30–49)"),
        "very_difficult": _("very difficult (Flesch below 30)"),
    }


def level_band(level: float, lang: str) -> str:
    for bound, band in JA_BANDS if lang == JA else EN_BANDS:
        if level >= bound:
            return band
    raise AssertionError("the last band has no lower bound")


@dataclass(frozen=True)
class GlossaryEntry:
    """One way a glossary term is written, with what to suggest instead, in the analysed text's language."""

    surface: str
    explanation: str = ""
    plain: str = ""
    is_jargon: bool = False
    term_id: int | None = None


@dataclass(frozen=True)
class Finding:
    text: str
    kind: str  # jargon, jargon_without_explanation, abbreviation, loanword, long_sentence
    start: int
    end: int
    suggestion: str
    term_id: int | None = None

    @property
    def blocks_publishing(self) -> bool:
        return self.kind == "jargon_without_explanation"


@dataclass
class Analysis:
    lang: str
    level: float
    band: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return level_labels()[self.band]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocks_publishing]

    def as_json(self) -> dict[str, Any]:
        """Return the `plain_check` document: level, level_label and findings (text, kind, start, end, suggestion)."""
        findings = [{k: v for k, v in asdict(f).items() if k != "term_id"} for f in self.findings]
        return {"level": round(self.level, 2), "level_label": self.level_label, "findings": findings}


_JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def language_of(text: str) -> str:
    """Return ja for a text with any kana or kanji, else en."""
    return JA if _JAPANESE_CHAR.search(text) else EN


def kind_labels() -> dict[str, str]:
    return {
        "jargon": _("insider term without explanation"),
        "jargon_without_explanation": _("insider term missing from the glossary's explanations: blocks publishing"),
        "abbreviation": _("unknown abbreviation"),
        "loanword": _("unknown loan word"),
        "long_sentence": _("long sentence"),
    }


# --- Tokens ---------------------------------------------------------------------------------------------

_local = threading.local()


def tagger() -> Any:
    """Return this thread's MeCab tagger on unidic-lite (MeCab taggers are not shared across threads)."""
    if not hasattr(_local, "tagger"):
        import fugashi

        _local.tagger = fugashi.Tagger()
    return _local.tagger


@dataclass(frozen=True)
class Token:
    surface: str
    start: int
    goshu: str  # UniDic's word origin: 和 wago, 漢 kango, 外 loan word, 混 mixed, 固 proper noun, ...
    pos1: str
    pos2: str

    @property
    def end(self) -> int:
        return self.start + len(self.surface)


def japanese_tokens(text: str) -> list[Token]:
    """Return the text's UniDic tokens with their character offsets in the text."""
    tokens = []
    cursor = 0
    for word in tagger()(text):
        surface = word.surface
        start = text.find(surface, cursor)
        if start < 0:  # MeCab never rewrites a surface; stay safe if a future version does
            continue
        cursor = start + len(surface)
        feature = word.feature
        tokens.append(Token(surface, start, feature.goshu or "", feature.pos1 or "", feature.pos2 or ""))
    return tokens


# --- Finders --------------------------------------------------------------------------------------------

_KATAKANA = re.compile(r"^[\u30a0-\u30ffー・]+$")
_KATAKANA_CHAR = re.compile(r"[\u30a1-\u30fa\u30fc]")
_LATIN_CHAR = re.compile(r"[A-Za-z0-9\uff21-\uff3a\uff41-\uff5a\uff10-\uff19]")
_ACRONYM = re.compile(
    r"(?<![A-Za-z\uff21-\uff3a\uff41-\uff5a])[A-Za-z0-9\uff21-\uff3a\uff41-\uff5a\uff10-\uff19&]{2,10}"
)
_EXPLAINED_AFTER = re.compile(r"^\s*(（|\(|とは|って|＝|=|:|：|, or |, which| \(| means)")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")

# Abbreviations everybody reads (compared after NFKC and upper-casing).
COMMON_ABBREVIATIONS = frozenset(
    [
        "OK",
        "NG",
        "PC",
        "TV",
        "CM",
        "SNS",
        "IT",
        "AI",
        "ID",
        "QR",
        "URL",
        "PDF",
        "FAQ",
        "Q&A",
        "USB",
        "DVD",
        "CD",
        "ATM",
        "GPS",
        "WEB",
        "WI-FI",
        "LINE",
        "PR",
        "TEL",
        "FAX",
        "JR",
        "AM",
        "PM",
        "EU",
        "US",
        "USA",
        "UK",
        "NHK",
    ]
)


@cache
def common_katakana() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "common_katakana.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _is_boundary(text: str, start: int, end: int, surface: str) -> bool:
    """Whether a match is a whole word: Latin terms not inside Latin words, katakana not inside katakana."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if _LATIN_CHAR.match(surface[0]) and before and _LATIN_CHAR.match(before):
        return False
    if _LATIN_CHAR.match(surface[-1]) and after and _LATIN_CHAR.match(after):
        return False
    if _KATAKANA_CHAR.match(surface[0]) and before and _KATAKANA_CHAR.match(before):
        return False
    return not (_KATAKANA_CHAR.match(surface[-1]) and after and _KATAKANA_CHAR.match(after))


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def _sentence_of(sentences: Sequence[tuple[int, int]], offset: int) -> tuple[int, int]:
    for start, end in sentences:
        if start <= offset < end:
            return start, end
    return offset, offset


def _glossary_matches(text: str, glossary: Sequence[GlossaryEntry]) -> list[tuple[int, int, GlossaryEntry]]:
    """Every whole-word occurrence of a glossary term, longest terms first, never two on one character."""
    folded = _key(text) if len(_key(text)) == len(text) else None
    taken = [False] * len(text)
    found = []
    for entry in sorted(glossary, key=lambda e: -len(e.surface)):
        needle = entry.surface.strip()
        if not needle:
            continue
        haystack, target = (folded, _key(needle)) if folded is not None else (text, needle)
        start = haystack.find(target)
        while start >= 0:
            end = start + len(target)
            if not any(taken[start:end]) and _is_boundary(text, start, end, needle):
                for i in range(start, end):
                    taken[i] = True
                found.append((start, end, entry))
            start = haystack.find(target, end)
    return sorted(found, key=lambda m: m[0])


def _explained_in_text(text: str, start: int, end: int, entry: GlossaryEntry, sentence: tuple[int, int]) -> bool:
    """Whether the text explains the term where it first uses it: a bracket or 「とは」 after it, or its plain wording."""
    if _EXPLAINED_AFTER.match(text[end : end + 12]):
        return True
    plain = entry.plain.strip()
    return bool(plain) and plain in text[sentence[0] : sentence[1]]


def _jargon_findings(
    text: str, matches: Iterable[tuple[int, int, GlossaryEntry]], sentences: Sequence[tuple[int, int]]
) -> list[Finding]:
    findings = []
    explained: set[str] = set()
    for start, end, entry in matches:
        if not entry.is_jargon:
            continue
        surface = text[start:end]
        if not entry.explanation.strip() and not entry.plain.strip():
            findings.append(
                Finding(
                    surface,
                    "jargon_without_explanation",
                    start,
                    end,
                    _("This insider term has no plain explanation in the glossary yet. Add one to publish."),
                    entry.term_id,
                )
            )
            continue
        key = _key(entry.surface)
        if key in explained:
            continue
        if _explained_in_text(text, start, end, entry, _sentence_of(sentences, start)):
            explained.add(key)  # explained at its first use: later uses are fine
            continue
        findings.append(Finding(surface, "jargon", start, end, _jargon_suggestion(entry), entry.term_id))
    return findings


def _jargon_suggestion(entry: GlossaryEntry) -> str:
    if entry.plain.strip():
        return _("Say “%(plain)s” instead, or explain it: %(explanation)s") % {
            "plain": entry.plain.strip(),
            "explanation": entry.explanation.strip() or entry.plain.strip(),
        }
    return _("Explain it where you first use it: %(explanation)s") % {"explanation": entry.explanation.strip()}


def _abbreviation_findings(text: str, taken: Sequence[tuple[int, int]]) -> list[Finding]:
    findings = []
    seen: set[str] = set()
    for m in _ACRONYM.finditer(text):
        word = m.group()
        normal = unicodedata.normalize("NFKC", word)
        uppers = sum(1 for c in normal if c.isupper())
        if uppers < 2 or normal.upper() in COMMON_ABBREVIATIONS or normal.isdigit():
            continue
        if any(s < m.end() and m.start() < e for s, e in taken) or normal in seen:
            continue
        seen.add(normal)
        findings.append(
            Finding(
                word,
                "abbreviation",
                m.start(),
                m.end(),
                _("Write this abbreviation out the first time, or add it to the glossary."),
            )
        )
    return findings


def _loanword_findings(text: str, tokens: Sequence[Token], taken: Sequence[tuple[int, int]]) -> list[Finding]:
    """Runs of katakana loan words (UniDic origin 外) that are in neither the glossary nor the common words."""
    common = common_katakana()
    runs: list[list[Token]] = []
    for token in tokens:
        if _KATAKANA.match(token.surface) and token.goshu in ("外", "混", ""):
            if runs and runs[-1][-1].end == token.start:
                runs[-1].append(token)
            else:
                runs.append([token])
    findings = []
    seen: set[str] = set()
    for run in runs:
        start, end = run[0].start, run[-1].end
        word = text[start:end]
        if word in common or all(t.surface in common for t in run) or len(word) < 3 or word in seen:
            continue
        if any(s < end and start < e for s, e in taken):
            continue
        seen.add(word)
        findings.append(
            Finding(
                word,
                "loanword",
                start,
                end,
                _("Readers may not know this loan word: use a plain Japanese word, or add it to the glossary."),
            )
        )
    return findings


def _long_sentence_findings(text: str, sentences: Sequence[tuple[int, int]], lang: str) -> list[Finding]:
    limit = LONG_SENTENCE[lang]
    findings = []
    for start, end in sentences:
        sentence = text[start:end].strip()
        start = text.index(sentence, start)
        size = len(sentence) if lang == JA else len(sentence.split())
        if size <= limit:
            continue
        if lang == JA:
            message = _("This sentence has %(size)s characters. Split it into sentences of at most %(limit)s.")
        else:
            message = _("This sentence has %(size)s words. Split it into sentences of at most %(limit)s.")
        findings.append(
            Finding(sentence, "long_sentence", start, start + len(sentence), message % {"size": size, "limit": limit})
        )
    return findings


# --- Readability ----------------------------------------------------------------------------------------


SENTENCE_ENDS = ("。", "？", "！", "．")  # as jReadability splits sentences


def japanese_level(tokens: Sequence[Token], hard: Sequence[tuple[int, int]] = ()) -> float:
    """Return jReadability (0.5 very hard ... 6.4 very easy) with the tokens inside `hard` spans counted as kango.

    readability = mean words per sentence × −0.056 + kango % × −0.126 + wago % × −0.042
                  + verbs % × −0.145 + particles % × −0.044 + 11.724   (Lee & Hasebe; verbs without 非自立可能)
    """
    if not tokens:
        raise ValueError("no words")
    sentences, current = [], 0
    for token in tokens:
        current += 1
        if token.surface in SENTENCE_ENDS:
            sentences.append(current)
            current = 0
    if current:
        sentences.append(current)
    kango = wago = verbs = particles = 0
    for token in tokens:
        if token.goshu == "漢" or any(start <= token.start < end for start, end in hard):
            kango += 1
        elif token.goshu == "和":
            wago += 1
        if token.pos1 == "動詞" and token.pos2 != "非自立可能":
            verbs += 1
        elif token.pos1 == "助詞":
            particles += 1
    n = len(tokens)
    return (
        sum(sentences) / len(sentences) * -0.056
        + 100 * kango / n * -0.126
        + 100 * wago / n * -0.042
        + 100 * verbs / n * -0.145
        + 100 * particles / n * -0.044
        + 11.724
    )


def english_level(text: str) -> float:
    """Return the text's Flesch reading ease (0 very hard ... 100 very easy)."""
    import textstat

    return float(textstat.flesch_reading_ease(text))


# --- The analysis ---------------------------------------------------------------------------------------


def analyse_glossary_only(text: str, glossary: Sequence[GlossaryEntry]) -> list[Finding]:
    """Return only the glossary's findings (jargon): what publishing checks, without tokenizing."""
    return _jargon_findings(text, _glossary_matches(text, glossary), _sentences(text))


HARD_WORDS = ("jargon", "jargon_without_explanation", "abbreviation", "loanword")


def analyse(text: str, *, lang: str = JA, glossary: Sequence[GlossaryEntry] = ()) -> Analysis:
    """Analyse a text a rep will read; raise ValueError for an empty text or an unknown language."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    if not text.strip():
        raise ValueError("empty text")
    sentences = _sentences(text)
    matches = _glossary_matches(text, glossary)
    taken = [(start, end) for start, end, _entry in matches]
    findings = _jargon_findings(text, matches, sentences)
    findings += _abbreviation_findings(text, taken)
    if lang == JA:
        tokens = japanese_tokens(text)
        findings += _loanword_findings(text, tokens, taken)
        hard = [(f.start, f.end) for f in findings if f.kind in HARD_WORDS]
        level = japanese_level(tokens, hard)
    else:
        level = english_level(text)
    findings += _long_sentence_findings(text, sentences, lang)
    findings.sort(key=lambda f: (f.start, f.end))
    return Analysis(lang=lang, level=level, band=level_band(level, lang), findings=findings)
