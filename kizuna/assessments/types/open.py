"""Questions Moodle banks hold besides the scored ones: descriptions and essays.

A **description** (GIFT text with no answer block) is text shown between questions: it takes
no answer and scores nothing. An **essay** (GIFT ``{}``) is answered in free text and scored by
a person, a coach or the rep's manager, with the essay's rubric (``data["rubric"]``: criteria
with a weight and a description of each level, as roleplay rubrics; an empty rubric means the
default one, ``essay_rubric``). ``check`` gives 0 until then: the attempt waits for the grade
(services.grading).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from ..giftsyntax import Marked
from . import register
from .base import AnswerError, Check, QuestionDataError, QuestionType, positional_ids, text_field

ESSAY_MAX_CHARS = 10_000
RUBRIC_MAX_CRITERIA = 10
RUBRIC_MAX_LEVELS = 10


@register
class Description(QuestionType):
    code = "description"
    label = gettext_lazy("description (no answer)")
    interaction_type = "other"
    gift_priority = 0
    template = "assessments/types/description.html"
    scored = False

    @classmethod
    def clean(cls, data: Any) -> dict[str, Any]:
        return {}

    def render(self, *, name: str, order: list[str] | None = None, answer: Mapping[str, Any] | None = None) -> dict:
        return {"template": self.template, "name": name}

    def answer_from_form(self, data: QueryDict, name: str) -> dict[str, Any] | None:
        return None

    def parse_answer(self, raw: Any) -> dict[str, Any]:
        raise AnswerError(_("A description takes no answer."))

    def check(self, answer: Mapping[str, Any]) -> Check:
        return Check(0.0, False, {})

    def answer_display(self, answer: Mapping[str, Any] | None) -> list[str]:
        return []

    def correct_display(self) -> list[str]:
        return []

    def xapi_interaction(self) -> dict[str, Any]:
        return {"interactionType": "other"}

    def response_text(self, answer: Mapping[str, Any]) -> str:
        return ""

    def to_gift(self) -> list[str]:
        return []  # gift_write writes a description without an answer block


def essay_rubric(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The essay's rubric, or the default one (one criterion, four levels) in the reader's language."""
    rubric = data.get("rubric") or []
    if rubric:
        return list(rubric)
    return [
        {
            "id": "1",
            "title": _("The answer as a whole"),
            "weight": 1,
            "levels": [
                pgettext("rubric level", "Not yet"),
                pgettext("rubric level", "Partly"),
                pgettext("rubric level", "Mostly"),
                pgettext("rubric level", "Fully"),
            ],
        }
    ]


@register
class Essay(QuestionType):
    code = "essay"
    label = gettext_lazy("essay (graded by a coach or manager)")
    interaction_type = "long-fill-in"
    gift_priority = 1  # before short answer, which takes any block
    template = "assessments/types/essay.html"
    manual = True

    @classmethod
    def clean(cls, data: Any) -> dict[str, Any]:
        problems: list[str] = []
        raw = data.get("rubric") if isinstance(data, Mapping) else None
        rubric: list[dict[str, Any]] = []
        for item in raw if isinstance(raw, list) else []:
            if not isinstance(item, Mapping):
                problems.append(_("A rubric criterion is malformed."))
                continue
            title = text_field(item.get("title"), label=_("A criterion"), problems=problems)
            try:
                weight = int(item.get("weight", 1))
            except (TypeError, ValueError):
                weight = 0
            if not 1 <= weight <= 100:
                problems.append(_("A criterion's weight must be a whole number from 1 to 100."))
            levels_raw = item.get("levels")
            levels = [
                text_field(level, label=_("A level"), problems=problems)
                for level in (levels_raw if isinstance(levels_raw, list) else [])
            ]
            if not 2 <= len(levels) <= RUBRIC_MAX_LEVELS:
                problems.append(_("A criterion needs from 2 to %(max)s levels.") % {"max": RUBRIC_MAX_LEVELS})
            rubric.append({"id": item.get("id"), "title": title, "weight": weight, "levels": levels})
        if len(rubric) > RUBRIC_MAX_CRITERIA:
            problems.append(_("A rubric has at most %(max)s criteria.") % {"max": RUBRIC_MAX_CRITERIA})
        positional_ids(rubric, problems)
        if problems:
            raise QuestionDataError(problems)
        return {"rubric": rubric}

    def render(self, *, name: str, order: list[str] | None = None, answer: Mapping[str, Any] | None = None) -> dict:
        return {
            "template": self.template,
            "name": name,
            "value": (answer or {}).get("text", ""),
            "max": ESSAY_MAX_CHARS,
        }

    def answer_from_form(self, data: QueryDict, name: str) -> dict[str, Any] | None:
        value = (data.get(name) or "").strip()
        return {"text": value} if value else None

    def parse_answer(self, raw: Any) -> dict[str, Any]:
        text = raw.get("text") if isinstance(raw, Mapping) else None
        if not isinstance(text, str) or not text.strip():
            raise AnswerError(_("Write your answer."))
        text = text.replace("\r\n", "\n").strip()
        if len(text) > ESSAY_MAX_CHARS:
            raise AnswerError(
                _("Your answer is longer than %(max)s characters. Shorten it.") % {"max": f"{ESSAY_MAX_CHARS:,}"}
            )
        return {"text": text}

    def check(self, answer: Mapping[str, Any]) -> Check:
        return Check(0.0, False, {})  # a person grades it (services.grading)

    def answer_display(self, answer: Mapping[str, Any] | None) -> list[str]:
        return [answer["text"]] if answer and answer.get("text") else []

    def correct_display(self) -> list[str]:
        return []

    def xapi_interaction(self) -> dict[str, Any]:
        return {"interactionType": "long-fill-in"}

    def response_text(self, answer: Mapping[str, Any]) -> str:
        return str(answer.get("text", ""))

    @classmethod
    def gift_detect(cls, block: Marked) -> bool:
        return not block.text.strip()

    @classmethod
    def from_gift(cls, block: Marked) -> dict[str, Any]:
        return {"rubric": []}

    def to_gift(self) -> list[str]:
        return []
