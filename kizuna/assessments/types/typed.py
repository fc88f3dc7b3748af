"""Typed answers: short answer (accepted texts, normalized) and numerical (a value with a tolerance, or a range)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..giftsyntax import (
    GiftSyntaxError,
    Marked,
    format_number,
    read_number,
    read_text,
    read_weight,
    split_feedback,
    write_text,
    write_weight,
)
from . import register
from .base import AnswerError, Check, QuestionDataError, QuestionType, clamp01, positional_ids, text_field, weight_field
from .normalize import answer_matches, normalize_answer, parse_number

FULL = 100.0
OTHER = "other"  # item analysis: an answer that matched none of the accepted ones


def _clean_weight(item: Mapping[str, Any], problems: list[str]) -> float:
    weight = weight_field(item.get("weight", FULL), problems=problems)
    if weight < 0:
        problems.append(_("An accepted answer cannot have a negative weight."))
    return weight


class _Typed(QuestionType):
    template = "assessments/types/typed.html"
    input_mode = "text"

    def render(self, *, name: str, order: list[str] | None = None, answer: Mapping[str, Any] | None = None) -> dict:
        return {
            "template": self.template,
            "name": name,
            "value": (answer or {}).get("text", ""),
            "mode": self.input_mode,
        }

    def answer_from_form(self, data: QueryDict, name: str) -> dict[str, Any] | None:
        value = (data.get(name) or "").strip()
        return {"text": value} if value else None

    def _best(self, answer: Mapping[str, Any]) -> dict[str, Any] | None:
        raise NotImplementedError

    def check(self, answer: Mapping[str, Any]) -> Check:
        best = self._best(answer)
        if best is None:
            return Check(0.0, False, {})
        feedback = {best["id"]: best["feedback"]} if best["feedback"] else {}
        return Check(clamp01(best["weight"] / FULL), best["weight"] == FULL, feedback)

    def answer_options(self, answer: Mapping[str, Any] | None) -> list[str]:
        if not answer:
            return []
        best = self._best(answer)
        return [best["id"] if best is not None else OTHER]

    def answer_display(self, answer: Mapping[str, Any] | None) -> list[str]:
        return [answer["text"]] if answer and answer.get("text") else []

    def response_text(self, answer: Mapping[str, Any]) -> str:
        return str(answer.get("text", ""))


@register
class ShortAnswer(_Typed):
    """Accepted answers compare after normalization (kizuna.assessments.types.normalize); * matches any text."""

    code = "short"
    label = gettext_lazy("short answer")
    interaction_type = "fill-in"
    gift_priority = 90

    @classmethod
    def clean(cls, data: Any) -> dict[str, Any]:
        problems: list[str] = []
        raw = data.get("answers") if isinstance(data, Mapping) else None
        answers = []
        for item in raw if isinstance(raw, list) else []:
            if not isinstance(item, Mapping):
                problems.append(_("An accepted answer is malformed."))
                continue
            text = text_field(item.get("text"), label=_("An accepted answer"), problems=problems)
            if "->" in text:
                problems.append(_("An accepted answer cannot contain “->”."))
            answers.append(
                {
                    "id": item.get("id"),
                    "text": text,
                    "weight": _clean_weight(item, problems),
                    "feedback": text_field(
                        item.get("feedback"), label=_("Feedback"), problems=problems, required=False
                    ),
                }
            )
        positional_ids(answers, problems)
        if not any(a["weight"] == FULL for a in answers):
            problems.append(_("Add at least one accepted answer worth 100%."))
        if problems:
            raise QuestionDataError(problems)
        return {"answers": answers}

    def parse_answer(self, raw: Any) -> dict[str, Any]:
        text = raw.get("text") if isinstance(raw, Mapping) else None
        if not isinstance(text, str) or not text.strip():
            raise AnswerError(_("Type your answer."))
        return {"text": text.strip()[:500]}

    def _best(self, answer: Mapping[str, Any]) -> dict[str, Any] | None:
        response = normalize_answer(answer.get("text", ""))
        matches = [a for a in self.data["answers"] if answer_matches(a["text"], response)]
        return max(matches, key=lambda a: a["weight"], default=None)

    def correct_display(self) -> list[str]:
        return [a["text"] for a in self.data["answers"] if a["weight"] == FULL]

    def xapi_interaction(self) -> dict[str, Any]:
        return {
            "interactionType": "fill-in",
            "correctResponsesPattern": [
                "{case_matters=false}" + a["text"] for a in self.data["answers"] if a["weight"] == FULL
            ],
        }

    @classmethod
    def gift_detect(cls, block: Marked) -> bool:
        return True  # asked last: whatever no other type claims

    @classmethod
    def from_gift(cls, block: Marked) -> dict[str, Any]:
        lead, pieces = block.split_markers("=")
        parts = ([lead] if lead.strip().text else []) + [piece for _marker, piece in pieces]
        answers = []
        for part in parts:
            weight, rest = read_weight(part)
            text, feedback = split_feedback(rest)
            answers.append(
                {"text": read_text(text), "weight": FULL if weight is None else weight, "feedback": feedback}
            )
        if not answers:
            raise GiftSyntaxError(_("Add at least one accepted answer."), block.line)
        return {"answers": answers}

    def to_gift(self) -> list[str]:
        return [
            "="
            + write_weight(a["weight"], a["text"], default=FULL)
            + write_text(a["text"])
            + ("#" + write_text(a["feedback"]) if a["feedback"] else "")
            for a in self.data["answers"]
        ]


@register
class Numerical(_Typed):
    """An answer is a value with a tolerance (3.14 ± 0.01) or a range (1..5); the best matching one scores."""

    code = "numerical"
    label = gettext_lazy("numerical")
    interaction_type = "numeric"
    gift_priority = 10
    input_mode = "decimal"

    @classmethod
    def clean(cls, data: Any) -> dict[str, Any]:
        problems: list[str] = []
        raw = data.get("answers") if isinstance(data, Mapping) else None
        answers = []
        for item in raw if isinstance(raw, list) else []:
            if not isinstance(item, Mapping) or item.get("kind") not in ("tolerance", "range"):
                problems.append(_("An accepted answer is malformed."))
                continue
            cleaned: dict[str, Any] = {"id": item.get("id"), "kind": item["kind"]}
            try:
                if item["kind"] == "tolerance":
                    cleaned["value"] = _finite(item.get("value"))
                    cleaned["tolerance"] = _finite(item.get("tolerance", 0))
                    if cleaned["tolerance"] < 0:
                        problems.append(_("A tolerance cannot be negative."))
                else:
                    cleaned["min"] = _finite(item.get("min"))
                    cleaned["max"] = _finite(item.get("max"))
                    if cleaned["min"] > cleaned["max"]:
                        problems.append(_("A range must start at or below its end."))
            except (TypeError, ValueError):
                problems.append(_("Accepted answers must be numbers."))
                continue
            cleaned["weight"] = _clean_weight(item, problems)
            cleaned["feedback"] = text_field(
                item.get("feedback"), label=_("Feedback"), problems=problems, required=False
            )
            answers.append(cleaned)
        positional_ids(answers, problems)
        if not any(a["weight"] == FULL for a in answers):
            problems.append(_("Add at least one accepted answer worth 100%."))
        otherwise = text_field(
            (data or {}).get("otherwise_feedback") if isinstance(data, Mapping) else None,
            label=_("Feedback"),
            problems=problems,
            required=False,
        )
        if problems:
            raise QuestionDataError(problems)
        return {"answers": answers, "otherwise_feedback": otherwise}

    def parse_answer(self, raw: Any) -> dict[str, Any]:
        text = raw.get("text") if isinstance(raw, Mapping) else None
        if isinstance(raw, Mapping) and isinstance(raw.get("value"), int | float):
            text = str(raw["value"])
        try:
            value = parse_number(text if isinstance(text, str) else "")
        except ValueError:
            raise AnswerError(_("Enter a number, for example 3.14.")) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise AnswerError(_("Enter a number, for example 3.14."))
        return {"text": str(text).strip()[:100], "value": value}

    @staticmethod
    def _accepts(a: Mapping[str, Any], value: float) -> bool:
        if a["kind"] == "tolerance":
            return abs(value - a["value"]) <= a["tolerance"] + 1e-12 * max(1.0, abs(a["value"]))
        return a["min"] <= value <= a["max"]

    def _best(self, answer: Mapping[str, Any]) -> dict[str, Any] | None:
        value = answer.get("value")
        if not isinstance(value, int | float):
            return None
        matches = [a for a in self.data["answers"] if self._accepts(a, float(value))]
        return max(matches, key=lambda a: a["weight"], default=None)

    def check(self, answer: Mapping[str, Any]) -> Check:
        verdict = super().check(answer)
        if verdict.score == 0 and self.data["otherwise_feedback"]:
            return Check(0.0, False, {OTHER: self.data["otherwise_feedback"]})
        return verdict

    def correct_display(self) -> list[str]:
        return [_describe(a) for a in self.data["answers"] if a["weight"] == FULL]

    def xapi_interaction(self) -> dict[str, Any]:
        patterns = []
        for a in self.data["answers"]:
            if a["weight"] != FULL:
                continue
            low, high = (
                (a["value"] - a["tolerance"], a["value"] + a["tolerance"])
                if a["kind"] == "tolerance"
                else (a["min"], a["max"])
            )
            patterns.append(f"{format_number(round(low, 10))}[:]{format_number(round(high, 10))}")
        return {"interactionType": "numeric", "correctResponsesPattern": patterns}

    def response_text(self, answer: Mapping[str, Any]) -> str:
        value = answer.get("value")
        return format_number(float(value)) if isinstance(value, int | float) else ""

    @classmethod
    def gift_detect(cls, block: Marked) -> bool:
        return block.strip().startswith("#")

    @classmethod
    def from_gift(cls, block: Marked) -> dict[str, Any]:
        body = block.strip()[1:]
        otherwise = ""
        tilde = body.find("~")
        if tilde >= 0:  # {#=… ~#feedback for any other answer}
            _text, otherwise = split_feedback(body[tilde + 1 :])
            body = body[:tilde]
        lead, pieces = body.split_markers("=")
        parts = ([lead] if lead.strip().text else []) + [piece for _marker, piece in pieces]
        if not parts:
            raise GiftSyntaxError(_("A numerical question needs at least one answer."), block.line)
        answers = []
        for part in parts:
            weight, rest = read_weight(part)
            text, feedback = split_feedback(rest)
            spec = text.strip()
            answer: dict[str, Any] = {"weight": FULL if weight is None else weight, "feedback": feedback}
            dots, colon = spec.find(".."), spec.find(":")
            if dots > 0:
                answer |= {
                    "kind": "range",
                    "min": read_number(spec.text[:dots], spec.line),
                    "max": read_number(spec.text[dots + 2 :], spec.line),
                }
            elif colon > 0:
                answer |= {
                    "kind": "tolerance",
                    "value": read_number(spec.text[:colon], spec.line),
                    "tolerance": read_number(spec.text[colon + 1 :], spec.line),
                }
            else:
                answer |= {"kind": "tolerance", "value": read_number(spec.text, spec.line), "tolerance": 0.0}
            answers.append(answer)
        return {"answers": answers, "otherwise_feedback": otherwise}

    def to_gift(self) -> list[str]:
        lines = ["#"]
        for a in self.data["answers"]:
            spec = (
                f"{format_number(a['value'])}:{format_number(a['tolerance'])}"
                if a["kind"] == "tolerance"
                else f"{format_number(a['min'])}..{format_number(a['max'])}"
            )
            weight = write_weight(a["weight"], "", default=FULL)
            lines.append("=" + weight + spec + ("#" + write_text(a["feedback"]) if a["feedback"] else ""))
        if self.data["otherwise_feedback"]:
            lines.append("~#" + write_text(self.data["otherwise_feedback"]))
        return lines


def _finite(value: Any) -> float:
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(value)
    return number


def _describe(a: Mapping[str, Any]) -> str:
    if a["kind"] == "range":
        return f"{format_number(a['min'])}〜{format_number(a['max'])}"
    if a["tolerance"]:
        return f"{format_number(a['value'])} ± {format_number(a['tolerance'])}"
    return format_number(a["value"])
