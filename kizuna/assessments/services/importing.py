"""The GIFT import as one call (commands, demo, tests); the studio runs the same staged path as a background job."""

from __future__ import annotations

from ..models import QuestionBank
from .questions import GiftImportResult


def gift_import(*, bank: QuestionBank, source: str | bytes) -> GiftImportResult:
    """Import every question of a GIFT text into the bank, or nothing at all if any of it has an error.

    Runs the staged, batched path of kizuna.assessments.gift_imports in this process. A question whose
    ``// [id:…]`` names a question of this bank updates it; one whose id belongs to another bank is
    added as a copy with a new key.
    """
    from ..gift_imports import gift_import_now  # it builds on services.questions

    return gift_import_now(bank=bank, source=source)
