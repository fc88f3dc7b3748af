"""Reads of the help: the built-in pages and the operations team's, per role and language, and their search.

The search is the community's Japanese search (kizuna.community.search): the same SudachiPy words on both sides,
so 見積り finds 見積もり and 会計ソフト finds 会計. There are tens of help pages, not thousands, so they are
ranked here rather than through a full-text index: a page matches when it has every word of the query (or,
when none has all, any of them), and a word in the title counts three times one in the text.
"""

import functools
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import get_language

from kizuna.community.search import query_words, tokens, words

from .help_content import ENTRIES, HelpEntry
from .models import HelpPage

FAQ = "faq"
TITLE_WEIGHT = 3


@dataclass(frozen=True)
class Help:
    """One help page as a reader sees it, in their language (the other one when it has none)."""

    slug: str
    kind: str  # "screen", "tip" or "faq"
    title: str
    body: str  # Markdown
    screens: tuple[str, ...]
    title_words: tuple[str, ...]
    body_words: tuple[str, ...]


def _english() -> bool:
    return not (get_language() or "ja").startswith("ja")


@functools.cache
def _entry_words(slug: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    entry = next(e for e in ENTRIES if e.slug == slug)
    return tuple(words(f"{entry.title_ja} {entry.title_en}")), tuple(words(f"{entry.body_ja}\n{entry.body_en}"))


def _from_entry(entry: HelpEntry) -> Help:
    title_words, body_words = _entry_words(entry.slug)
    english = _english()
    return Help(
        slug=entry.slug,
        kind=entry.kind,
        title=entry.title_en if english else entry.title_ja,
        body=entry.body_en if english else entry.body_ja,
        screens=entry.screens,
        title_words=title_words,
        body_words=body_words,
    )


def _from_page(page: HelpPage) -> Help:
    english = _english() and bool(page.title_en and page.body_en)
    return Help(
        slug=page.slug,
        kind=FAQ,
        title=page.title_en if english else page.title_ja,
        body=page.body_en if english else page.body_ja,
        screens=(),
        title_words=tuple(page.search_title.split()),
        body_words=tuple(page.search_body.split()),
    )


def search_words(*, title: str, body: str) -> tuple[str, str]:
    """Return the token strings a written help page stores for the search."""
    return tokens(title), tokens(body)


def help_pages(role: str | None) -> list[Help]:
    """Return every help page this role may read: the built-in ones in order, then the team's, newest first."""
    if role is None:
        return []
    built_in = [_from_entry(e) for e in ENTRIES if role in e.roles]
    written = [_from_page(p) for p in HelpPage.objects.all() if role in p.roles]
    return built_in + written


def help_page(role: str | None, slug: str) -> Help | None:
    return next((h for h in help_pages(role) if h.slug == slug), None)


def help_for_screen(role: str | None, screen: str) -> Help | None:
    """Return the help of the screen with this URL name, for this role (None when there is none)."""
    if not screen:
        return None
    return next((h for h in help_pages(role) if screen in h.screens), None)


def help_search(role: str | None, query: str) -> list[Help]:
    """Return the pages matching the query, best first."""
    terms = query_words(query)
    if not terms:
        return []
    scored = []
    for page in help_pages(role):
        title, body = Counter(page.title_words), Counter(page.body_words)
        found = [t for t in terms if title[t] or body[t]]
        if found:
            score = sum(TITLE_WEIGHT * title[t] + body[t] for t in found)
            scored.append((len(found), score, page))
    best = [s for s in scored if s[0] == len(terms)] or scored
    best.sort(key=lambda s: (-s[0], -s[1]))
    return [page for _n, _score, page in best]
