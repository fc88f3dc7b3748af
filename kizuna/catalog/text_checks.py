"""What a course's texts must pass before publishing, added by the apps that know (plain words: insider terms
without a plain explanation). A registry, so the catalog calls the check without importing the app above it."""

from collections.abc import Callable

# () -> a check: (texts...) -> the insider terms those texts use that have no plain explanation.
TermCheck = Callable[..., list[str]]
_makers: list[Callable[[], TermCheck]] = []


def register_term_check(make: Callable[[], TermCheck]) -> None:
    """Register how to make the check once per publish (it may read the glossary once)."""
    _makers[:] = [make]


def unexplained_terms_check() -> TermCheck:
    """Return the registered check, or one that finds nothing."""
    if not _makers:
        return lambda *texts: []
    return _makers[0]()
