"""Reads of plain words: the glossary, the glossary as the analyser takes it, the principal's target."""

from collections.abc import Sequence

from django.db.models import Q, QuerySet

from .analysis import EN, JA, GlossaryEntry
from .glossary_csv import TermRow
from .models import Target, Term


def glossary_terms(*, query: str = "") -> QuerySet[Term]:
    terms = Term.objects.all()
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
    found = Target.objects.first()
    return found if found is not None else Target()
