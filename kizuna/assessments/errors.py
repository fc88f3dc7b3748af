"""The errors of assessments: what a question, quiz, attempt or GIFT import service refuses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kizuna.ops.errors import ApplicationError

if TYPE_CHECKING:
    from .gift import GiftError


class AssessmentError(ApplicationError):
    """A change that cannot be made; the message is shown to the user."""


class GiftImportError(AssessmentError):
    """A GIFT text with errors: nothing was imported."""

    def __init__(self, errors: list[GiftError]) -> None:
        super().__init__(" ".join(str(e) for e in errors))
        self.errors = errors
