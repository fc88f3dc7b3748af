"""Writes of question banks and their questions (authors); every question's data is checked by its type."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.trail import Action, audit_edit

from ..errors import AssessmentError
from ..models import Question, QuestionBank
from ..types import type_class
from ..types.base import QuestionDataError


def _bank_state(bank: QuestionBank) -> dict[str, Any]:
    return {
        "title": bank.title,
        "product": bank.product_id,
        "topics": sorted(bank.topics.values_list("slug", flat=True)),
    }


def _question_state(question: Question) -> dict[str, Any]:
    return {
        "type": question.type,
        "title": question.title,
        "text": question.text,
        "data": question.data,
        "explanation": question.explanation,
        "category": question.category,
        "topics": sorted(question.topics.values_list("slug", flat=True)) if question.pk else [],
        "archived_at": question.archived_at,
    }


def _question_edited(
    question: Question, *, edit: str, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None
) -> None:
    """Put an edit of a question on the audit trail (the principal's content: no organization)."""
    label = f"{question.bank.title} › {question.title or question.text[:60]}"
    audit_edit(action=Action.QUESTION_EDIT, target=question, target_label=label, edit=edit, before=before, after=after)


@transaction.atomic
def bank_create(*, slug: str, title: str, author: Any, product: Any = None, topics: Iterable[Any] = ()) -> QuestionBank:
    if QuestionBank.objects.filter(slug=slug).exists():
        raise AssessmentError(_("A question bank with this code already exists."))
    bank = QuestionBank.objects.create(slug=slug, title=title.strip() or slug, product=product, created_by=author)
    bank.topics.set(list(topics))
    audit_edit(action=Action.QUESTION_EDIT, target=bank, edit="bank.create", after={"slug": slug, **_bank_state(bank)})
    return bank


@transaction.atomic
def bank_update(*, bank: QuestionBank, title: str, product: Any = None, topics: Iterable[Any] = ()) -> QuestionBank:
    before = _bank_state(QuestionBank.objects.get(pk=bank.pk))
    bank.title, bank.product = title.strip() or bank.slug, product
    bank.save(update_fields=["title", "product"])
    bank.topics.set(list(topics))
    audit_edit(action=Action.QUESTION_EDIT, target=bank, edit="bank.update", before=before, after=_bank_state(bank))
    return bank


def bank_ensure(*, slug: str, author: Any = None) -> QuestionBank:
    """The bank with this code, created (titled by its code) if there is none yet."""
    bank = QuestionBank.objects.filter(slug=slug).first()
    return bank or bank_create(slug=slug, title=slug, author=author)


def _clean_question(type_code: str, text: str, data: Any) -> tuple[str, dict[str, Any]]:
    try:
        cls = type_class(type_code)
    except KeyError:
        raise AssessmentError(_("Unknown question type.")) from None
    problems = [] if text.strip() else [_("The question text is empty.")]
    try:
        cleaned = cls.clean(data)
    except QuestionDataError as exc:
        problems += exc.messages
    if problems:
        raise AssessmentError(" ".join(str(p) for p in problems))
    return text.replace("\r\n", "\n").strip(), cleaned


def category_clean(path: str) -> str:
    """A category path as the studio or GIFT gives it, kept the way GIFT writes it ("製品 / 料金" → "製品/料金")."""
    from ..gift import category_path

    return category_path((path or "").replace("\r", " ").replace("\n", " "))


@transaction.atomic
def question_create(
    *,
    bank: QuestionBank,
    type: str,
    text: str,
    data: Any,
    explanation: str = "",
    title: str = "",
    topics: Iterable[Any] = (),
    key: uuid.UUID | None = None,
    category: str = "",
) -> Question:
    """Add a question to a bank; its data is checked by its type (QuestionType.clean)."""
    text, data = _clean_question(type, text, data)
    position = (bank.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question(
        bank=bank,
        type=type,
        title=title.strip()[:200],
        text=text,
        explanation=explanation.replace("\r\n", "\n").strip(),
        data=data,
        position=position,
        category=category_clean(category),
    )
    if key is not None:
        question.key = key
    question.save()
    question.topics.set(list(topics))
    _question_edited(question, edit="question.create", after=_question_state(question))
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    type: str,
    text: str,
    data: Any,
    explanation: str = "",
    title: str = "",
    topics: Iterable[Any] = (),
    category: str | None = None,
) -> Question:
    """Change a question. Published quizzes keep the version they froze; reviews show the new one."""
    text, data = _clean_question(type, text, data)
    before = _question_state(Question.objects.get(pk=question.pk))
    question.type, question.text, question.data = type, text, data
    if category is not None:
        question.category = category_clean(category)
    question.title, question.explanation = title.strip()[:200], explanation.replace("\r\n", "\n").strip()
    question.save()
    question.topics.set(list(topics))
    _question_edited(question, edit="question.update", before=before, after=_question_state(question))
    return question


@transaction.atomic
def question_archive(*, question: Question) -> Question:
    """Stop drawing and reviewing a question; records, snapshots and statistics keep it."""
    if question.archived_at is None:
        question.archived_at = timezone.now()
        question.save(update_fields=["archived_at"])
        _question_edited(
            question, edit="question.archive", before={"archived_at": None}, after={"archived_at": question.archived_at}
        )
    return question


@dataclass(frozen=True)
class GiftImportResult:
    counts: dict[str, int]  # question type → how many
    created: int
    updated: int
