"""The one interface every question type implements; the rest of the app knows nothing else about types.

A type is a class holding a question's ``data`` (a JSON object whose shape the type
alone defines and validates in ``clean``). It says what the player shows
(``render``, with options in an order drawn from a seeded RNG per attempt), reads
and scores an answer (``parse_answer``, ``check``), describes itself for xAPI
(``xapi_interaction``, ``response_text``) and for GIFT (``gift_detect``,
``from_gift``, ``to_gift``). A new type is one new subclass decorated with
``@register`` (kizuna.assessments.types).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.http import QueryDict

from ..giftsyntax import Marked


class QuestionDataError(ValueError):
    """Question data that its type refuses; ``messages`` are shown to the author."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


class AnswerError(ValueError):
    """An answer that cannot be read (e.g. letters where a number is asked); the message is shown to the rep."""


@dataclass(frozen=True)
class Check:
    """The verdict on one answer: a score 0..1, whether it is fully right, and the feedback of what was chosen."""

    score: float
    correct: bool
    feedback: dict[str, str] = field(default_factory=dict)


def clamp01(value: float) -> float:
    return min(1.0, max(0.0, value))


def text_field(value: Any, *, label: str, problems: list[str], required: bool = True) -> str:
    """A stripped string from the data, noting a problem when it is missing or not a string."""
    from django.utils.translation import gettext as _

    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(_("%(field)s must be text.") % {"field": label})
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not value:
        problems.append(_("%(field)s is empty.") % {"field": label})
    return value


def weight_field(value: Any, *, problems: list[str]) -> float:
    from django.utils.translation import gettext as _

    try:
        weight = float(value)
    except (TypeError, ValueError):
        problems.append(_("A weight must be a number of percent between -100 and 100."))
        return 0.0
    if not -100 <= weight <= 100:
        problems.append(_("A weight must be a number of percent between -100 and 100."))
    return weight


def positional_ids(items: list[dict[str, Any]], problems: list[str]) -> None:
    """Give items without an id the next free number; ids must be unique short strings."""
    from django.utils.translation import gettext as _

    used = {str(item["id"]) for item in items if item.get("id") not in (None, "")}
    if len(used) != len([item for item in items if item.get("id") not in (None, "")]):
        problems.append(_("Two options have the same id."))
    number = 0
    for item in items:
        if item.get("id") in (None, ""):
            number += 1
            while str(number) in used:
                number += 1
            item["id"] = str(number)
            used.add(item["id"])
        else:
            item["id"] = str(item["id"])[:20]


class QuestionType:
    code: ClassVar[str]
    label: ClassVar[Any]  # a lazy translatable name
    interaction_type: ClassVar[str]  # xAPI cmi.interaction type
    # GIFT: types are asked in this order whether an answer block is theirs.
    gift_priority: ClassVar[int] = 100
    template: ClassVar[str]
    # A description scores nothing and takes no answer: it is text shown between questions.
    scored: ClassVar[bool] = True
    # An essay is scored by a person (a coach or the rep's manager), not by ``check``.
    manual: ClassVar[bool] = False

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    # --- data -------------------------------------------------------------------------------------------

    @classmethod
    def clean(cls, data: Any) -> dict[str, Any]:
        """Return the canonical form of the data, or raise QuestionDataError saying what to fix."""
        raise NotImplementedError

    def option_ids(self) -> list[str]:
        """The ids of what the player lists (options, or the left items of a matching question)."""
        return []

    # --- the player -------------------------------------------------------------------------------------

    def shuffle_order(self, rng: random.Random, *, shuffle: bool) -> list[str]:
        """The order the options are shown in for one attempt: drawn from the attempt's seeded RNG."""
        ids = list(self.option_ids())
        if shuffle:
            rng.shuffle(ids)
        return ids

    def ordered(self, items: list[dict[str, Any]], order: list[str] | None) -> list[dict[str, Any]]:
        if not order:
            return list(items)
        by_id = {item["id"]: item for item in items}
        shown = [by_id[i] for i in order if i in by_id]
        return shown + [item for item in items if item["id"] not in set(order)]

    def render(self, *, name: str, order: list[str] | None = None, answer: Mapping[str, Any] | None = None) -> dict:
        """What the player shows: the template to include and its context (options in ``order``, ``answer`` filled in)."""
        raise NotImplementedError

    def answer_from_form(self, data: QueryDict, name: str) -> dict[str, Any] | None:
        """The answer posted by the player's form fields called ``name…``, or None if the question was left blank."""
        raise NotImplementedError

    def parse_answer(self, raw: Any) -> dict[str, Any]:
        """Validate an answer (JSON) and return its canonical form, or raise AnswerError."""
        raise NotImplementedError

    def check(self, answer: Mapping[str, Any]) -> Check:
        raise NotImplementedError

    def answer_options(self, answer: Mapping[str, Any] | None) -> list[str]:
        """What the answer picked, for item analysis: option ids, matched answer ids, or "other"."""
        return []

    def answer_display(self, answer: Mapping[str, Any] | None) -> list[str]:
        """The answer as the results page shows it."""
        raise NotImplementedError

    def correct_display(self) -> list[str]:
        """The right answer(s) as the results page shows them."""
        raise NotImplementedError

    # --- xAPI -------------------------------------------------------------------------------------------

    def xapi_interaction(self) -> dict[str, Any]:
        """The cmi.interaction activity definition: interactionType, correctResponsesPattern and its components."""
        raise NotImplementedError

    def response_text(self, answer: Mapping[str, Any]) -> str:
        """xAPI result.response for the answer, in the interaction type's format."""
        raise NotImplementedError

    # --- GIFT -------------------------------------------------------------------------------------------

    @classmethod
    def gift_detect(cls, block: Marked) -> bool:
        """Whether a GIFT answer block (the text between { and }, general feedback removed) is of this type."""
        return False

    @classmethod
    def from_gift(cls, block: Marked) -> dict[str, Any]:
        """The data of a GIFT answer block (then cleaned); raise GiftSyntaxError with the line of the problem."""
        raise NotImplementedError

    def to_gift(self) -> list[str]:
        """The lines inside the answer block { … } (without general feedback)."""
        raise NotImplementedError
