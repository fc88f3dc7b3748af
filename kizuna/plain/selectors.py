"""Reads of plain words: the glossary, the glossary as the analyser takes it, the principal's target."""

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from kizuna.catalog.selectors import published_lesson_keys

from .analysis import (
    EN,
    JA,
    GlossaryEntry,
    analyse,
    analyse_glossary_only,
    language_of,
    level_band,
    level_labels,
)
from .glossary_csv import TermRow
from .models import Target, Term, WordQuestion

UNEXPLAINED = Q(is_jargon=True, explanation_ja="", explanation_en="", plain_ja="", plain_en="")


def glossary_terms(*, query: str = "", unexplained: bool = False) -> QuerySet[Term]:
    """The glossary, searched; `unexplained`: only the insider terms without a plain explanation (they block publishing)."""
    terms = Term.objects.filter(UNEXPLAINED) if unexplained else Term.objects.all()
    query = query.strip()
    if query:
        terms = terms.filter(
            Q(term_ja__icontains=query) | Q(term_en__icontains=query) | Q(explanation_ja__icontains=query)
        )
    return terms


def access_term(term_id: int) -> Term:
    """Return a glossary term (principal content: every author and coach may see it), or 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Term, pk=term_id)


def entries_of(terms: "Sequence[Term | TermRow]", lang: str) -> list[GlossaryEntry]:
    """The ways each term is written (both languages' names), with the explanation in the text's language.

    Takes the glossary's terms or the rows of a glossary CSV (`plain_check --glossary`).
    """
    entries = []
    for term in terms:
        explanation = term.explanation_en if lang == EN else term.explanation_ja
        plain = term.plain_en if lang == EN else term.plain_ja
        # A term explained only in the other language is still explained: a reader can be told.
        explanation = explanation or term.explanation_ja or term.explanation_en
        for surface in {term.term_ja, term.term_en} - {""}:
            entries.append(GlossaryEntry(surface, explanation, plain, term.is_jargon, getattr(term, "pk", None)))
    return entries


def glossary_entries(lang: str = JA) -> list[GlossaryEntry]:
    """Return the principal's glossary as the analyser takes it."""
    return entries_of(list(Term.objects.all()), lang)


def target() -> Target:
    """Return the principal's target readability (the defaults until an admin sets one)."""
    return Target.objects.first() or Target()


LEVEL_CACHE_SECONDS = 7 * 24 * 3600


def text_level(text: str, goal: Target | None = None) -> dict[str, Any] | None:
    """Return a text's readability {level, label, below_target}, cached by its content; None for no text."""
    if not text.strip():
        return None
    lang = language_of(text)
    key = "plain:level:" + hashlib.sha256(f"{lang}:{text}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        # The level alone (no glossary): glossary changes must not leave stale levels in the cache.
        result = analyse(text, lang=lang)
        cached = {"level": result.level, "band": result.band, "lang": lang}
        cache.set(key, cached, LEVEL_CACHE_SECONDS)
    goal = goal or target()
    goal_level = goal.level_ja if cached["lang"] == JA else goal.level_en
    return {
        **cached,
        "label": level_labels()[cached["band"]],
        "target": goal_level,
        "below_target": cached["level"] < goal_level,
    }


def text_measure(text: str) -> tuple[float, str] | None:
    """A text's level and language, as the catalog stores it on a lesson when its body is saved."""
    level = text_level(text, goal=Target())
    return (level["level"], level["lang"]) if level else None


def stored_level(level: float | None, lang: str, goal: Target) -> dict[str, Any] | None:
    """A stored level as the studio shows it: its band's name, the target and whether it is harder than the target."""
    if level is None or lang not in (JA, EN):
        return None
    goal_level = goal.level_ja if lang == JA else goal.level_en
    return {
        "level": level,
        "lang": lang,
        "label": level_labels()[level_band(level, lang)],
        "target": goal_level,
        "below_target": level < goal_level,
    }


class JargonCheck:
    """A check of texts for insider terms without a plain explanation (what blocks publishing).

    The glossary's unexplained jargon is read once, when the check is made; it is falsy when there is none, so
    a caller can skip reading texts at all.
    """

    def __init__(self) -> None:
        terms = list(Term.objects.filter(UNEXPLAINED).order_by("pk"))
        self.entries = {lang: entries_of(terms, lang) for lang in (JA, EN)} if terms else {}
        # What the answers depend on besides the texts: which terms are unexplained and how they are written
        # (catalog.text_checks keeps list pages' answers under it).
        self.stamp = "\n".join(f"{t.pk}\t{t.term_ja}\t{t.term_en}" for t in terms)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __call__(self, *texts: str) -> list[str]:
        """Return the unexplained insider terms the texts use."""
        found: list[str] = []
        for text in texts if self.entries else ():
            if not text or not text.strip():
                continue
            for finding in analyse_glossary_only(text, self.entries[language_of(text)]):
                if finding.blocks_publishing and finding.text not in found:
                    found.append(finding.text)
        return found


def jargon_checker() -> JargonCheck:
    return JargonCheck()


def rep_glossary(user: Any) -> list[dict[str, Any]]:
    """Return the explained glossary as reps read it, in the active language, kept in memory with the shared content."""
    from django.utils.translation import get_language

    from kizuna.ops.repcache import kept_shared

    def compute() -> list[dict[str, Any]]:
        rows = []
        for term in Term.objects.all():
            if not term.is_explained:
                continue
            for surface in {term.term_ja, term.term_en} - {""}:
                rows.append({"id": term.pk, "term": surface, "explanation": term.explanation, "example": term.example})
        return rows

    return kept_shared(user, f"plain:glossary:{get_language()}", compute)


def glossary_in_blocks(user: Any, blocks: Iterable[str]) -> list[dict[str, Any]]:
    """Return the glossary terms (explained) that any of the blocks of a page's HTML uses, in glossary order.

    The blocks are what a rep reads (a lesson's body, a quiz question, a scenario moment...); each block's terms
    are kept in this process with the glossary (the shared token: an edited term renews it), by the block's
    digest, so a warm page costs no query and no HTML parsing, however many blocks it has.
    """
    from django.utils.html import strip_tags

    from kizuna.ops.repcache import kept_shared

    found: set[int] = set()
    for html in blocks:
        if not html or not html.strip():
            continue
        digest = hashlib.blake2b(html.encode(), digest_size=16).hexdigest()

        def compute(html: str = html) -> list[int]:
            text = strip_tags(html)
            return [i for i, row in enumerate(rep_glossary(user)) if row["term"] in text]

        found.update(kept_shared(user, f"plain:block_terms:{digest}", compute))
    glossary = rep_glossary(user)
    return [glossary[i] for i in sorted(found) if i < len(glossary)]


def word_questions(*, limit: int = 100) -> QuerySet[WordQuestion]:
    """The newest "I didn't understand this word" asks, for the authors' inbox."""
    return WordQuestion.objects.select_related("partner")[:limit]


def most_asked_words(*, limit: int = 20) -> list[dict[str, Any]]:
    """Return the words reps asked about most: how often, by how many reps, in how many lessons, and last when."""
    words = list(
        WordQuestion.objects.values("word")
        .annotate(
            asks=Count("id"),
            reps=Count("rep", distinct=True),
            lessons=Count("lesson_id", distinct=True),
            last=Max("created_at"),
        )
        .order_by("-asks", "-last")[:limit]
    )
    asked = [w["word"] for w in words]
    terms = {}
    for term in Term.objects.filter(Q(term_ja__in=asked) | Q(term_en__in=asked)):
        terms.update({name: term for name in (term.term_ja, term.term_en) if name})
    return [
        {
            **w,
            "in_glossary": w["word"] in terms,
            "term_id": terms[w["word"]].pk if w["word"] in terms else None,
            "explained": w["word"] in terms and terms[w["word"]].is_explained,
        }
        for w in words
    ]


def word_questions_per_lesson_key(*, keys: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Return {lesson key: how many "I didn't understand this word" questions reps asked in any of its versions}."""
    wanted = set(keys)
    per_lesson = dict(
        WordQuestion.objects.values("lesson_id").annotate(n=Count("pk")).order_by().values_list("lesson_id", "n")
    )
    counts: dict[uuid.UUID, int] = {}
    for lesson_id, key in published_lesson_keys(lesson_ids=per_lesson).items():
        if key in wanted:
            counts[key] = counts.get(key, 0) + per_lesson[lesson_id]
    return counts
