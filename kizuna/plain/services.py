"""Writes of plain words: glossary terms (one by one or a CSV import, all or nothing) and the target level."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.notifications.services import notification_send
from kizuna.ops.errors import ApplicationError
from kizuna.ops.repcache import content_changed
from kizuna.ops.trail import Action, audit_edit, audit_record
from kizuna.orgs.access import Role, membership_of
from kizuna.orgs.selectors import principal_staff_with_roles

from . import glossary_csv
from .glossary_csv import TERM_MAX, TEXT_FIELDS, Problem, TermRow
from .lessons import AskedLesson
from .models import Target, Term, WordQuestion

if TYPE_CHECKING:
    from kizuna.accounts.models import User


class PlainError(ApplicationError):
    """A glossary change that cannot be made as it is; the message says what to change."""


class GlossaryImportError(PlainError):
    """A glossary file refused whole; `problems` lists every bad line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("Nothing was imported: fix these lines and upload the file again."))
        self.problems = problems

    def problem_errors(self) -> list[dict[str, Any]]:
        return [{"loc": ["body", "file", p.line], "msg": p.message} for p in self.problems]


def _clean_term(value: str) -> str:
    return " ".join((value or "").split())


def _same_name(term_ja: str, term_en: str, exclude: int | None) -> Term | None:
    clash = Q(pk__in=[])
    if term_ja:
        clash |= Q(term_ja__iexact=term_ja)
    if term_en:
        clash |= Q(term_en__iexact=term_en)
    terms = Term.objects.filter(clash)
    if exclude is not None:
        terms = terms.exclude(pk=exclude)
    return terms.first()


def _term_state(term: Term) -> dict[str, Any]:
    fields = ("term_ja", "term_en", "explanation_ja", "explanation_en", "plain_ja", "plain_en", "example_ja")
    return {**{f: getattr(term, f) for f in fields}, "example_en": term.example_en, "is_jargon": term.is_jargon}


def term_save(
    *,
    editor: "User",
    term: Term | None = None,
    term_ja: str = "",
    term_en: str = "",
    explanation_ja: str = "",
    explanation_en: str = "",
    plain_ja: str = "",
    plain_en: str = "",
    example_ja: str = "",
    example_en: str = "",
    is_jargon: bool = False,
) -> Term:
    """Create a glossary term, or change `term`; refuse a nameless term or a name another term has."""
    term_ja, term_en = _clean_term(term_ja), _clean_term(term_en)
    if not term_ja and not term_en:
        raise PlainError(_("Write the term in Japanese, English or both."), field="term_ja")
    if max(len(term_ja), len(term_en), len(plain_ja), len(plain_en)) > TERM_MAX:
        raise PlainError(_("A term or plain wording is too long (at most %(max)s characters).") % {"max": TERM_MAX})
    other = _same_name(term_ja, term_en, term.pk if term else None)
    if other is not None:
        raise PlainError(
            _("The glossary already has “%(term)s”. Change that entry instead.") % {"term": other.term},
            field="term_ja" if term_ja and other.term_ja.casefold() == term_ja.casefold() else "term_en",
        )
    before = _term_state(term) if term is not None else {}
    term = term or Term()
    values = {
        "term_ja": term_ja,
        "term_en": term_en,
        "explanation_ja": explanation_ja.strip(),
        "explanation_en": explanation_en.strip(),
        "plain_ja": _clean_term(plain_ja),
        "plain_en": _clean_term(plain_en),
        "example_ja": example_ja.strip(),
        "example_en": example_en.strip(),
    }
    for key, value in values.items():
        setattr(term, key, value)
    term.is_jargon = is_jargon
    term.updated_by = editor
    try:
        with transaction.atomic():
            term.save()
            content_changed()  # the glossary reps tap in lessons is kept with the shared content
            audit_edit(
                action=Action.GLOSSARY_EDIT,
                target=term,
                target_label=term.term_ja or term.term_en,
                edit="term.update" if before else "term.create",
                before=before,
                after=_term_state(term),
                actor=editor,
            )
    except IntegrityError:  # a concurrent save took the name between the check and the write
        raise PlainError(_("The glossary already has this term. Change that entry instead."), field="term_ja") from None
    word_askers_tell(terms=[term])
    return term


def term_explain(*, editor: "User", term: Term, explanation: str, lang: str) -> Term:
    """Add a plain explanation to a term from the editor's warning (the one thing that blocks publishing)."""
    explanation = explanation.strip()
    if not explanation:
        raise PlainError(_("Write the plain explanation."), field="explanation")
    if len(explanation) > glossary_csv.TEXT_MAX:
        raise PlainError(
            _("The explanation is too long (at most %(max)s characters).") % {"max": glossary_csv.TEXT_MAX}
        )
    before = _term_state(term)
    if lang == "en":
        term.explanation_en = explanation
    else:
        term.explanation_ja = explanation
    term.updated_by = editor
    with transaction.atomic():
        term.save(update_fields=["explanation_ja", "explanation_en", "updated_by", "updated_at"])
        content_changed()
        label = term.term_ja or term.term_en
        audit_edit(
            action=Action.GLOSSARY_EDIT,
            target=term,
            target_label=label,
            edit="term.explain",
            before=before,
            after=_term_state(term),
            actor=editor,
        )
    word_askers_tell(terms=[term])
    return term


def term_delete(*, term: Term) -> None:
    with transaction.atomic():
        audit_edit(
            action=Action.GLOSSARY_EDIT,
            target=term,
            target_label=term.term_ja or term.term_en,
            edit="term.delete",
            before=_term_state(term),
        )
        term.delete()
        content_changed()


@dataclass
class ImportResult:
    created: int
    updated: int


def _existing_for(row: TermRow, by_ja: dict[str, Term], by_en: dict[str, Term]) -> Term | None:
    return (
        (row.term_ja and by_ja.get(row.term_ja.casefold()))
        or (row.term_en and by_en.get(row.term_en.casefold()))
        or None
    )


@transaction.atomic
def glossary_import(*, editor: "User", data: bytes) -> ImportResult:
    """Add and update terms from a CSV file (a term is found by its Japanese, else its English name); all or nothing."""
    parsed = glossary_csv.parse(data)
    if parsed.problems:
        raise GlossaryImportError(parsed.problems)
    terms = list(Term.objects.select_for_update())
    by_ja = {t.term_ja.casefold(): t for t in terms if t.term_ja}
    by_en = {t.term_en.casefold(): t for t in terms if t.term_en}
    problems = []
    plan: list[tuple[TermRow, Term | None]] = []
    for row in parsed.rows:
        existing = _existing_for(row, by_ja, by_en)
        # A row must not rename one term into another's name.
        for name, index in ((row.term_ja, by_ja), (row.term_en, by_en)):
            holder = index.get(name.casefold()) if name else None
            if holder is not None and existing is not None and holder.pk != existing.pk:
                problems.append(
                    Problem(row.line, _("“%(term)s” is already another term in the glossary.") % {"term": name})
                )
        plan.append((row, existing))
    if problems:
        raise GlossaryImportError(problems)
    created = updated = 0
    saved = []
    for row, existing in plan:
        term = existing or Term()
        for key in TEXT_FIELDS:
            value = getattr(row, key)
            # An empty cell keeps what an existing term has: a file of names only does not wipe explanations.
            if value or existing is None:
                setattr(term, key, value)
        term.is_jargon = row.is_jargon
        term.updated_by = editor
        term.save()
        saved.append(term)
        created += existing is None
        updated += existing is not None
    content_changed()
    audit_record(
        action=Action.GLOSSARY_EDIT,
        actor=editor,
        target_label="CSV",
        after={
            "edit": "import",
            "created": created,
            "updated": updated,
            "terms": [t.term_ja or t.term_en for t in saved][:500],
        },
    )
    word_askers_tell(terms=saved)
    return ImportResult(created=created, updated=updated)


def glossary_rows() -> list[list[Any]]:
    """Return the glossary as export rows, in the columns' order (the import reads them back)."""
    rows = []
    for term in Term.objects.all():
        rows.append([getattr(term, key) for key in TEXT_FIELDS] + ["yes" if term.is_jargon else "no"])
    return rows


def target_set(*, level_ja: float, level_en: float) -> Target:
    """Set the principal's target readability."""
    if not (0 <= level_ja <= 10 and 0 <= level_en <= 100):
        raise PlainError(_("Choose a target level from the list."))
    with transaction.atomic():
        target = Target.objects.first() or Target()
        before = {"level_ja": target.level_ja, "level_en": target.level_en} if target.pk else {}
        target.level_ja, target.level_en = level_ja, level_en
        target.save()
        audit_edit(
            action=Action.PLAIN_TARGET_UPDATE,
            target=target,
            edit="target.update" if before else "target.create",
            before=before,
            after={"level_ja": level_ja, "level_en": level_en},
        )
    return target


WORD_MAX = 50
SENTENCE_MAX = 500


def word_ask(*, rep: "User", lesson: AskedLesson, word: str, sentence: str = "") -> WordQuestion:
    """Send "I didn't understand this word" to the authors; asking again about the same word in a lesson is one ask."""
    word = " ".join((word or "").split())
    if not word:
        raise PlainError(_("Choose the word you did not understand."), field="word")
    if len(word) > WORD_MAX:
        raise PlainError(
            _("Choose one word or a short phrase (at most %(max)s characters).") % {"max": WORD_MAX}, field="word"
        )
    sentence = " ".join((sentence or "").split())[:SENTENCE_MAX]
    membership = membership_of(rep)
    question, _created = WordQuestion.objects.get_or_create(
        rep=rep,
        lesson_id=lesson.id,
        word=word,
        defaults={
            "partner_id": membership.organization_id if membership else None,
            "lesson_title": lesson.title[:200],
            "course_title": lesson.course_title[:200],
            "sentence": sentence,
        },
    )
    return question


# Telling people about word questions: the authors in batches, the rep when their word is explained.

WORDS_IN_NOTICE = 5


def word_questions_notify(*, now: datetime | None = None) -> int:
    """Tell the authors in one notification each which words reps asked about since the last batch; return how many.

    Every ask not yet reported is reported once: the batch is marked in the same transaction.
    """
    now = now or timezone.now()
    with transaction.atomic():
        pending = list(
            WordQuestion.objects.select_for_update()
            .filter(authors_notified_at__isnull=True)
            .order_by("created_at", "pk")
            .values_list("pk", "word")
        )
        if not pending:
            return 0
        WordQuestion.objects.filter(pk__in=[pk for pk, _word in pending]).update(authors_notified_at=now)
        words = list(dict.fromkeys(word for _pk, word in pending))
        shown = " / ".join(words[:WORDS_IN_NOTICE]) + (" …" if len(words) > WORDS_IN_NOTICE else "")
        authors = list(principal_staff_with_roles(Role.AUTHOR)) or list(principal_staff_with_roles(Role.ADMIN))
        sent = 0
        for author in authors:
            sent += (
                notification_send(
                    recipient=author,
                    kind="plain.words_asked",
                    title=gettext_noop("Reps did not understand %(count)s words"),
                    body=gettext_noop("%(asks)s new questions: %(words)s. Explain them in the glossary."),
                    params={"count": len(words), "asks": len(pending), "words": shown},
                    url=reverse("plain:word_inbox"),
                    dedupe_key=f"plain.words_asked:{pending[-1][0]}",
                    at=now,
                )
                is not None
            )
    return sent


def word_askers_tell(*, terms: "list[Term]", now: datetime | None = None) -> int:
    """Tell each rep who asked about one of these words, once it is explained, where to read it; return how many."""
    names = {name.lower() for term in terms if term.is_explained for name in (term.term_ja, term.term_en) if name}
    if not names:
        return 0
    now = now or timezone.now()
    questions = list(
        WordQuestion.objects.annotate(word_lower=Lower("word"))
        .filter(word_lower__in=names, explained_at__isnull=True)
        .select_related("rep")
        .order_by("-created_at")
    )
    told: set[tuple[int, str]] = set()
    for question in questions:  # newest first: one notice per rep and word, pointing at their latest lesson
        key = (question.rep_id, question.word.lower())
        if key in told:
            continue
        told.add(key)
        notification_send(
            recipient=question.rep,
            kind="plain.word_explained",
            title=gettext_noop("“%(word)s” is now explained"),
            body=gettext_noop("You asked about it in “%(lesson)s”. Tap the word in the lesson to read what it means."),
            params={"word": question.word, "lesson": question.lesson_title},
            url=reverse("learning:lesson", args=[question.lesson_id]),
            dedupe_key=f"plain.word_explained:{question.pk}",
            at=now,
        )
    WordQuestion.objects.filter(pk__in=[q.pk for q in questions]).update(explained_at=now)
    return len(told)
