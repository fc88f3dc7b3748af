"""What every text a rep will read must pass before it is published: no insider term without a plain explanation.

The one check of every publish path (courses and their lessons of each kind, quizzes, scenarios, surveys, flash
updates, live sessions, roleplays, success stories). The plain-words app fills it (it knows the glossary); it is a
registry here, in the base, so the catalog and every feature call the same check without importing the app.
"""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class TermCheck(Protocol):
    """A check: (texts...) -> the insider terms those texts use that have no plain explanation, in order of first
    use. It is falsy when the glossary has no such term at all, so a caller may skip reading texts."""

    def __call__(self, *texts: str) -> list[str]: ...

    def __bool__(self) -> bool: ...


T = TypeVar("T")
KEPT_SECONDS = 30 * 24 * 3600

_makers: list[Callable[[], TermCheck]] = []
_explain_urls: list[Callable[[], str]] = []


class _NoCheck:
    """The check while no app registered one: nothing is ever unexplained."""

    def __bool__(self) -> bool:
        return False

    def __call__(self, *texts: str) -> list[str]:
        return []

    stamp = ""


def register_term_check(make: Callable[[], TermCheck], *, explain_url: Callable[[], str]) -> None:
    """Register how to make the check once per publish (it may read the glossary once), and where terms are explained."""
    _makers[:] = [make]
    _explain_urls[:] = [explain_url]


def unexplained_terms_check() -> TermCheck:
    """Return the registered check, or one that finds nothing."""
    if not _makers:
        return _NoCheck()
    return _makers[0]()


def unexplained_terms(*texts: str, check: TermCheck | None = None) -> list[str]:
    """Return the insider terms without a plain explanation that the texts use (each once)."""
    check = check if check is not None else unexplained_terms_check()
    return check(*texts) if check else []


def quoted_terms(terms: Sequence[str]) -> str:
    """Return the terms quoted and listed as the user's language writes them: 「KGI」、「LTV」 / “KGI”, “LTV”."""
    return _(", ").join(_("“%(term)s”") % {"term": term} for term in terms)


def explain_url() -> str:
    return _explain_urls[0]() if _explain_urls else ""


def unexplained_terms_message(terms: Sequence[str]) -> SafeString:
    """Return the author's message: which insider terms stop publishing, with a link to explain them."""
    text = ngettext(
        "Not published: the insider term %(terms)s has no plain explanation in the glossary. "
        "Add one, then publish again.",
        "Not published: the insider terms %(terms)s have no plain explanation in the glossary. "
        "Add one for each, then publish again.",
        len(terms),
    ) % {"terms": quoted_terms(terms)}
    url = explain_url()
    if not url:
        return format_html("{}", text)
    link = ngettext("Explain it in the glossary", "Explain them in the glossary", len(terms))
    return format_html('{} <a href="{}" class="explain-terms">{}</a>', text, url, link)


def unexplained_terms_problems(*texts: str, check: TermCheck | None = None) -> list[str]:
    """Return [] or the one message (with its link) naming every unexplained insider term the texts use."""
    terms = unexplained_terms(*texts, check=check)
    return [unexplained_terms_message(terms)] if terms else []


def check_stamp(check: TermCheck) -> str:
    """Return what the check's answers depend on besides the texts (the glossary's unexplained terms), as a short
    digest; "" when the check does not say (its answers are then never kept)."""
    stamp = getattr(check, "stamp", None)
    return hashlib.sha256(stamp.encode()).hexdigest()[:16] if isinstance(stamp, str) and stamp else ""


def kept_check_results(
    computes: Mapping[str, Callable[[TermCheck], T]], *, empty: T, check: TermCheck | None = None
) -> dict[str, T]:
    """Run the check over many drafts for a list page, each at most once per (draft version, glossary state).

    `computes` maps a key naming a draft's version (its id and change time: the key must change whenever the texts
    do) to what runs the check on that draft. A result is kept in the shared cache under the key and the check's
    stamp, so editing the glossary (explaining a term, flagging a new one) is seen at once and an unchanged draft
    is never analysed again. With no unexplained insider term in the glossary nothing is read: every draft gets
    `empty`. Publishing calls the same check directly: what a list says "ready" publishing accepts.
    """
    from django.core.cache import cache

    check = check if check is not None else unexplained_terms_check()
    if not check:
        return dict.fromkeys(computes, empty)
    stamp = check_stamp(check)
    if not stamp:
        return {key: compute(check) for key, compute in computes.items()}
    cache_keys = {key: f"text_checks:{stamp}:{key}" for key in computes}
    kept: dict[str, Any] = cache.get_many(list(cache_keys.values()))
    results: dict[str, T] = {}
    fresh: dict[str, Any] = {}
    for key, compute in computes.items():
        if cache_keys[key] in kept:
            results[key] = kept[cache_keys[key]]
        else:
            results[key] = fresh[cache_keys[key]] = compute(check)
    if fresh:
        cache.set_many(fresh, KEPT_SECONDS)
    return results
