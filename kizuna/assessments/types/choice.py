"""Choice questions: single choice, multiple choice and true/false.

Options carry a ``weight`` in percent, as in GIFT and Moodle.

Single choice: one option is chosen; it scores its weight (negative weights count
as 0). Fully right means choosing an option of weight 100.

Multiple choice (partial credit): the score is the sum of the weights of the chosen
options, clamped to 0..1. The weights of the right options add up to 100; a wrong
option has a weight of 0 or below. ``multiple_weights`` gives the default an author
gets by ticking the right ones: each right option is worth 100/k (k right options)
and each wrong one takes away 100/w (w wrong options), so choosing everything scores
0 and choosing nothing scores 0. Fully right means a score of 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..giftsyntax import GiftSyntaxError, Marked, read_text, read_weight, split_feedback, write_text, write_weight
from . import register
from .base import AnswerError, Check, QuestionDataError, QuestionType, clamp01, positional_ids, text_field, weight_field

FULL = 100.0


def multiple_weights(correct: list[bool]) -> list[float]:
    """Default weights for a multiple-choice question from "which options are right" (see the module doc)."""
    right = sum(1 for c in correct if c)
    wrong = len(correct) - right
    return [FULL / right if c else (-FULL / wrong if wrong else 0.0) for c in correct]


class _Choice(QuestionType):
    template = "assessments/types/choice.html"
    multiple = False

    @classmethod
    def _clean_options(cls, data: Any, problems: list[str]) -> list[dict[str, Any]]:
        raw = data.get("options") if isinstance(data, Mapping) else None
        if not isinstance(raw, list):
            problems.append(_("Add at least two options."))
            return []
        options = []
        for item in raw:
            if not isinstance(item, Mapping):
                problems.append(_("An option is malformed."))
                continue
            options.append(
                {
                    "id": item.get("id"),
                    "text": text_field(item.get("text"), label=_("An option"), problems=problems),
                    "weight": weight_field(item.get("weight", 0), problems=problems),
                    "feedback": text_field(
                        item.get("feedback"), label=_("Feedback"), problems=problems, required=False
                    ),
                }
            )
        positional_ids(options, problems)
        if len(options) < 2:
            problems.append(_("Add at least two options."))
        return options

    def option_ids(self) -> list[str]:
        return [o["id"] for o in self.data["options"]]

    def _option(self, option_id: str) -> dict[str, Any] | None:
        return next((o for o in self.data["options"] if o["id"] == option_id), None)

    def render(self, *, name: str, order: list[str] | None = None, answer: Mapping[str, Any] | None = None) -> dict:
        chosen = set(self._chosen(answer))
        return {
            "template": self.template,
            "name": name,
            "input": "checkbox" if self.multiple else "radio",
            "options": [
                {"id": o["id"], "text": o["text"], "checked": o["id"] in chosen}
                for o in self.ordered(self.data["options"], order)
            ],
        }

    def _chosen(self, answer: Mapping[str, Any] | None) -> list[str]:
        if not answer:
            return []
        if self.multiple:
            return list(answer.get("choices", []))
        return [answer["choice"]] if answer.get("choice") else []

    def answer_options(self, answer: Mapping[str, Any] | None) -> list[str]:
        return self._chosen(answer)

    def answer_display(self, answer: Mapping[str, Any] | None) -> list[str]:
        chosen = set(self._chosen(answer))
        return [o["text"] for o in self.data["options"] if o["id"] in chosen]

    def xapi_interaction(self) -> dict[str, Any]:
        return {
            "interactionType": "choice",
            "correctResponsesPattern": self._patterns(),
            "choices": [{"id": o["id"], "description": {"ja-JP": o["text"]}} for o in self.data["options"]],
        }

    def _patterns(self) -> list[str]:
        raise NotImplementedError

    def response_text(self, answer: Mapping[str, Any]) -> str:
        return "[,]".join(self._chosen(answer))

    @classmethod
    def _gift_options(cls, block: Marked) -> list[dict[str, Any]]:
        lead, pieces = block.split_markers("=~")
        if lead.strip().text:
            raise GiftSyntaxError(_("Each answer must start with = or ~."), lead.strip().line)
        options = []
        for marker, piece in pieces:
            weight, rest = read_weight(piece)
            if weight is None:
                weight = FULL if marker == "=" else 0.0
            answer, feedback = split_feedback(rest)
            options.append({"text": read_text(answer), "weight": weight, "feedback": feedback})
        return options


@register
class SingleChoice(_Choice):
    code = "single"
    label = gettext_lazy("single choice")
    interaction_type = "choice"
    gift_priority = 30

    @classmethod
    def clean(cls, data: Any) -> dict[str, Any]:
        problems: list[str] = []
        options = cls._clean_options(data, problems)
        if options and not any(o["weight"] == FULL for o in options):
            problems.append(_("Mark one option as the right answer (100%)."))
        if options and all(o["weight"] == FULL for o in options):
            problems.append(_("Add at least one wrong option."))
        if problems:
            raise QuestionDataError(problems)
        return {"options": options}

    def answer_from_form(self, data: QueryDict, name: str) -> dict[str, Any] | None:
        value = data.get(name)
        return {"choice": value} if value else None

    def parse_answer(self, raw: Any) -> dict[str, Any]:
        choice = raw.get("choice") if isinstance(raw, Mapping) else None
        if not isinstance(choice, str) or self._option(choice) is None:
            raise AnswerError(_("Choose one of the options."))
        return {"choice": choice}

    def check(self, answer: Mapping[str, Any]) -> Check:
        option = self._option(answer.get("choice", ""))
        if option is None:
            return Check(0.0, False, {})
        feedback = {option["id"]: option["feedback"]} if option["feedback"] else {}
        return Check(clamp01(option["weight"] / FULL), option["weight"] == FULL, feedback)

    def correct_display(self) -> list[str]:
        return [o["text"] for o in self.data["options"] if o["weight"] == FULL]

    def _patterns(self) -> list[str]:
        return [o["id"] for o in self.data["options"] if o["weight"] == FULL]

    @classmethod
    def gift_detect(cls, block: Marked) -> bool:
        return block.find("~") >= 0 and block.find("=") >= 0

    @classmethod
    def from_gift(cls, block: Marked) -> dict[str, Any]:
        return {"options": cls._gift_options(block)}

    def to_gift(self) -> list[str]:
        lines = []
        for o in self.data["options"]:
            marker = "=" + write_weight(o["weight"], o["text"], default=FULL) if o["weight"] == FULL else None
            if marker is None:
                marker = "~" + write_weight(o["weight"], o["text"], default=0.0)
            lines.append(marker + write_text(o["text"]) + ("#" + write_text(o["feedback"]) if o["feedback"] else ""))
        return lines


@register
class MultipleChoice(_Choice):
    code = "multiple"
    label = gettext_lazy("multiple choice")
    interaction_type = "choice"
    gift_priority = 31
    multiple = True

    @classmethod
    def clean(cls, data: Any) -> dict[str, Any]:
        problems: list[str] = []
        options = cls._clean_options(data, problems)
        positive = sum(o["weight"] for o in options if o["weight"] > 0)
        if options and abs(positive - FULL) > 0.01:
            problems.append(_("The weights of the right options must add up to 100%."))
        if problems:
            raise QuestionDataError(problems)
        return {"options": options}

    def answer_from_form(self, data: QueryDict, name: str) -> dict[str, Any] | None:
        values = [v for v in data.getlist(name) if v]
        return {"choices": values} if values else None

    def parse_answer(self, raw: Any) -> dict[str, Any]:
        choices = raw.get("choices") if isinstance(raw, Mapping) else None
        if not isinstance(choices, list) or not all(isinstance(c, str) and self._option(c) for c in choices):
            raise AnswerError(_("Choose one or more of the options."))
        chosen = set(choices)
        return {"choices": [i for i in self.option_ids() if i in chosen]}

    def check(self, answer: Mapping[str, Any]) -> Check:
        chosen = [o for o in self.data["options"] if o["id"] in set(answer.get("choices", []))]
        score = clamp01(sum(o["weight"] for o in chosen) / FULL)
        feedback = {o["id"]: o["feedback"] for o in chosen if o["feedback"]}
        return Check(score, score >= 1 - 1e-9, feedback)

    def correct_display(self) -> list[str]:
        return [o["text"] for o in self.data["options"] if o["weight"] > 0]

    def _patterns(self) -> list[str]:
        return ["[,]".join(o["id"] for o in self.data["options"] if o["weight"] > 0)]

    @classmethod
    def gift_detect(cls, block: Marked) -> bool:
        return block.find("~") >= 0 and block.find("=") < 0

    @classmethod
    def from_gift(cls, block: Marked) -> dict[str, Any]:
        return {"options": cls._gift_options(block)}

    def to_gift(self) -> list[str]:
        return [
            "~"
            + write_weight(o["weight"], o["text"], default=0.0)
            + write_text(o["text"])
            + ("#" + write_text(o["feedback"]) if o["feedback"] else "")
            for o in self.data["options"]
        ]


TF_ANSWERS = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@register
class TrueFalse(QuestionType):
    code = "truefalse"
    label = gettext_lazy("true/false")
    interaction_type = "true-false"
    gift_priority = 50
    template = "assessments/types/choice.html"

    @classmethod
    def clean(cls, data: Any) -> dict[str, Any]:
        problems: list[str] = []
        if not isinstance(data, Mapping) or not isinstance(data.get("answer"), bool):
            raise QuestionDataError([_("Say whether the statement is true or false.")])
        cleaned = {
            "answer": data["answer"],
            "feedback_true": text_field(
                data.get("feedback_true"), label=_("Feedback"), problems=problems, required=False
            ),
            "feedback_false": text_field(
                data.get("feedback_false"), label=_("Feedback"), problems=problems, required=False
            ),
        }
        if problems:
            raise QuestionDataError(problems)
        return cleaned

    def option_ids(self) -> list[str]:
        return ["true", "false"]

    def shuffle_order(self, rng: Any, *, shuffle: bool) -> list[str]:
        return ["true", "false"]  # always in this order: shuffling true and false only confuses

    def render(self, *, name: str, order: list[str] | None = None, answer: Mapping[str, Any] | None = None) -> dict:
        chosen = (answer or {}).get("choice")
        return {
            "template": self.template,
            "name": name,
            "input": "radio",
            "options": [
                {"id": "true", "text": _("True"), "checked": chosen == "true"},
                {"id": "false", "text": _("False"), "checked": chosen == "false"},
            ],
        }

    def answer_from_form(self, data: QueryDict, name: str) -> dict[str, Any] | None:
        value = data.get(name)
        return {"choice": value} if value else None

    def parse_answer(self, raw: Any) -> dict[str, Any]:
        choice = raw.get("choice") if isinstance(raw, Mapping) else None
        if choice not in ("true", "false"):
            raise AnswerError(_("Choose true or false."))
        return {"choice": choice}

    def check(self, answer: Mapping[str, Any]) -> Check:
        choice = answer.get("choice")
        if choice not in ("true", "false"):
            return Check(0.0, False, {})
        correct = (choice == "true") == self.data["answer"]
        text = self.data["feedback_" + choice]
        return Check(1.0 if correct else 0.0, correct, {choice: text} if text else {})

    def answer_options(self, answer: Mapping[str, Any] | None) -> list[str]:
        return [answer["choice"]] if answer and answer.get("choice") else []

    def answer_display(self, answer: Mapping[str, Any] | None) -> list[str]:
        choice = (answer or {}).get("choice")
        return [str(_("True")) if choice == "true" else str(_("False"))] if choice else []

    def correct_display(self) -> list[str]:
        return [str(_("True")) if self.data["answer"] else str(_("False"))]

    def xapi_interaction(self) -> dict[str, Any]:
        return {"interactionType": "true-false", "correctResponsesPattern": [str(self.data["answer"]).lower()]}

    def response_text(self, answer: Mapping[str, Any]) -> str:
        return str(answer.get("choice", ""))

    @classmethod
    def gift_detect(cls, block: Marked) -> bool:
        hash_at = block.find("#")
        head = block[:hash_at] if hash_at >= 0 else block
        return block.find("=") < 0 and block.find("~") < 0 and head.strip().text in TF_ANSWERS

    @classmethod
    def from_gift(cls, block: Marked) -> dict[str, Any]:
        # {TRUE#feedback when the answer is wrong#feedback when it is right}
        first = block.find("#")
        head = block[:first] if first >= 0 else block
        wrong = right = ""
        if first >= 0:
            rest = block[first + 1 :]
            second = rest.find("#")
            wrong = read_text(rest[:second] if second >= 0 else rest)
            right = read_text(rest[second + 1 :]) if second >= 0 else ""
        answer = TF_ANSWERS[head.strip().text]
        return {
            "answer": answer,
            "feedback_true": right if answer else wrong,
            "feedback_false": wrong if answer else right,
        }

    def to_gift(self) -> list[str]:
        answer = self.data["answer"]
        right = self.data["feedback_true" if answer else "feedback_false"]
        wrong = self.data["feedback_false" if answer else "feedback_true"]
        line = "TRUE" if answer else "FALSE"
        if wrong or right:
            line += "#" + write_text(wrong)
        if right:
            line += "#" + write_text(right)
        return [line]
