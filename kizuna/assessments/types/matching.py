"""Matching: each item on the left is matched with one answer on the right; extra right answers distract.

The score is the share of left items matched right. GIFT has no per-pair feedback
for matching questions, so neither do we: the question's explanation says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..giftsyntax import GiftSyntaxError, Marked, escape, read_text, split_feedback, write_text
from . import register
from .base import AnswerError, Check, QuestionDataError, QuestionType, positional_ids, text_field


@register
class Matching(QuestionType):
    code = "matching"
    label = gettext_lazy("matching")
    interaction_type = "matching"
    gift_priority = 40
    template = "assessments/types/matching.html"

    @classmethod
    def clean(cls, data: Any) -> dict[str, Any]:
        problems: list[str] = []
        raw = data.get("pairs") if isinstance(data, Mapping) else None
        pairs = []
        for item in raw if isinstance(raw, list) else []:
            if not isinstance(item, Mapping):
                problems.append(_("A pair is malformed."))
                continue
            left = text_field(item.get("left"), label=_("An item"), problems=problems, required=False)
            if "->" in left:
                problems.append(_("An item cannot contain “->”."))
            right = text_field(item.get("right"), label=_("An answer"), problems=problems)
            pairs.append({"id": item.get("id"), "left": left, "right": right})
        positional_ids(pairs, problems)
        if sum(1 for p in pairs if p["left"]) < 2:
            problems.append(_("Add at least two pairs to match."))
        if problems:
            raise QuestionDataError(problems)
        return {"pairs": pairs}

    def lefts(self) -> list[dict[str, Any]]:
        return [p for p in self.data["pairs"] if p["left"]]

    def choices(self) -> list[dict[str, str]]:
        """The right-hand answers, each text once; its id is the id of the first pair with that text."""
        seen: dict[str, str] = {}
        for p in self.data["pairs"]:
            seen.setdefault(p["right"], p["id"])
        return [{"id": choice_id, "text": text} for text, choice_id in seen.items()]

    def _choice_text(self, choice_id: str) -> str | None:
        return next((c["text"] for c in self.choices() if c["id"] == choice_id), None)

    def option_ids(self) -> list[str]:
        return [c["id"] for c in self.choices()]

    def render(self, *, name: str, order: list[str] | None = None, answer: Mapping[str, Any] | None = None) -> dict:
        matches = (answer or {}).get("matches", {})
        return {
            "template": self.template,
            "name": name,
            "lefts": [{"id": p["id"], "text": p["left"], "selected": matches.get(p["id"], "")} for p in self.lefts()],
            "choices": self.ordered(self.choices(), order),
        }

    def answer_from_form(self, data: QueryDict, name: str) -> dict[str, Any] | None:
        matches = {p["id"]: data.get(f"{name}-{p['id']}") for p in self.lefts()}
        matches = {k: v for k, v in matches.items() if v}
        return {"matches": matches} if matches else None

    def parse_answer(self, raw: Any) -> dict[str, Any]:
        matches = raw.get("matches") if isinstance(raw, Mapping) else None
        left_ids = {p["id"] for p in self.lefts()}
        choice_ids = set(self.option_ids())
        if (
            not isinstance(matches, Mapping)
            or not matches
            or not all(k in left_ids and v in choice_ids for k, v in matches.items())
        ):
            raise AnswerError(_("Match each item with one of the answers."))
        return {"matches": {p["id"]: matches[p["id"]] for p in self.lefts() if p["id"] in matches}}

    def check(self, answer: Mapping[str, Any]) -> Check:
        matches = answer.get("matches", {})
        lefts = self.lefts()
        right = sum(1 for p in lefts if self._choice_text(matches.get(p["id"], "")) == p["right"])
        return Check(right / len(lefts), right == len(lefts), {})

    def answer_options(self, answer: Mapping[str, Any] | None) -> list[str]:
        return [f"{left}>{choice}" for left, choice in (answer or {}).get("matches", {}).items()]

    def answer_display(self, answer: Mapping[str, Any] | None) -> list[str]:
        matches = (answer or {}).get("matches", {})
        return [f"{p['left']} → {self._choice_text(matches[p['id']])}" for p in self.lefts() if p["id"] in matches]

    def correct_display(self) -> list[str]:
        return [f"{p['left']} → {p['right']}" for p in self.lefts()]

    def xapi_interaction(self) -> dict[str, Any]:
        by_text = {c["text"]: c["id"] for c in self.choices()}
        return {
            "interactionType": "matching",
            "source": [{"id": p["id"], "description": {"ja-JP": p["left"]}} for p in self.lefts()],
            "target": [{"id": c["id"], "description": {"ja-JP": c["text"]}} for c in self.choices()],
            "correctResponsesPattern": ["[,]".join(f"{p['id']}[.]{by_text[p['right']]}" for p in self.lefts())],
        }

    def response_text(self, answer: Mapping[str, Any]) -> str:
        return "[,]".join(f"{left}[.]{choice}" for left, choice in answer.get("matches", {}).items())

    @classmethod
    def gift_detect(cls, block: Marked) -> bool:
        if block.find("~") >= 0 or block.find("=") < 0:
            return False
        _lead, pieces = block.split_markers("=")
        # Only the answer part counts: a short answer's feedback may well say "->".
        return any(split_feedback(piece)[0].find("->") >= 0 for _marker, piece in pieces)

    @classmethod
    def from_gift(cls, block: Marked) -> dict[str, Any]:
        lead, pieces = block.split_markers("=")
        if lead.strip().text:
            raise GiftSyntaxError(_("Each pair must start with =."), lead.strip().line)
        pairs = []
        for _marker, piece in pieces:
            arrow = piece.find("->")
            if arrow < 0:
                raise GiftSyntaxError(_("Each pair needs “->” between the item and its answer."), piece.strip().line)
            pairs.append({"left": read_text(piece[:arrow]), "right": piece[arrow + 2 :].strip().text})
        return {"pairs": pairs}

    def to_gift(self) -> list[str]:
        return ["=" + write_text(p["left"]) + " -> " + escape(p["right"]) for p in self.data["pairs"]]
