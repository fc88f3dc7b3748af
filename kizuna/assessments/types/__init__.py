"""The registry of question types: ``@register`` a QuestionType subclass and the whole app knows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import QuestionType

_REGISTRY: dict[str, type[QuestionType]] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    _REGISTRY[cls.code] = cls
    return cls


def question_types() -> list[type[QuestionType]]:
    """Every registered type, in the order GIFT asks them whether an answer block is theirs."""
    _load()
    return sorted(_REGISTRY.values(), key=lambda cls: cls.gift_priority)


def type_class(code: str) -> type[QuestionType]:
    _load()
    try:
        return _REGISTRY[code]
    except KeyError:
        raise KeyError(f"unknown question type {code!r}") from None


def question_type(code: str, data: dict[str, Any]) -> QuestionType:
    """The type object of a question with already cleaned data."""
    return type_class(code)(data)


def type_choices() -> list[tuple[str, Any]]:
    return [(cls.code, cls.label) for cls in question_types()]


def _load() -> None:
    from . import choice, matching, open, typed  # noqa: F401  (each module registers its types)
