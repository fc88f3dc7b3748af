"""Reading a published quiz (QuizVersion): its frozen questions, and the draw and shuffle of one attempt.

Everything here is a pure function of the immutable snapshot and a seed, so an
attempt's layout can be shown before it starts (a micro lesson's check questions)
and is the same whenever it is computed.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from django.conf import settings

from .models import QuizVersion
from .types import question_type
from .types.base import QuestionType


def snapshot_question(version: QuizVersion, key: str) -> dict[str, Any] | None:
    return version.questions.get(str(key))


def snapshot_type(version: QuizVersion, key: str) -> QuestionType:
    q = version.questions[str(key)]
    return question_type(q["type"], q["data"])


def attempt_seed(*, rep_id: int, version_id: int, lesson_id: int | None, number: int) -> int:
    """The seed of one attempt: the same rep, quiz version, lesson and attempt number always draw the same."""
    digest = hashlib.sha256(f"{rep_id}:{version_id}:{lesson_id or 0}:{number}".encode()).hexdigest()
    return int(digest[:15], 16)


def draw_layout(version: QuizVersion, *, seed: int) -> list[dict[str, Any]]:
    """The questions of one attempt in the order shown, each with its options' order.

    Fixed questions keep their place; each draw rule picks from its pool (fixed questions
    and earlier picks excluded) as many as it can, up to its count.
    """
    rng = random.Random(seed)
    fixed = {item["key"] for item in version.items if item["kind"] == "fixed"}
    chosen: list[str] = []
    for item in version.items:
        if item["kind"] == "fixed":
            chosen.append(item["key"])
            continue
        taken = set(chosen)
        pool = [key for key in item["pool"] if key not in fixed and key not in taken]
        chosen += rng.sample(pool, min(item["count"], len(pool)))
    if version.shuffle_questions:
        rng.shuffle(chosen)
    return [
        {"key": key, "order": snapshot_type(version, key).shuffle_order(rng, shuffle=version.shuffle_options)}
        for key in chosen
    ]


def quiz_iri(version: QuizVersion) -> str:
    return f"{settings.SITE_URL}/xapi/activities/quiz/{version.quiz.key}/v{version.number}"


def question_iri(key: Any) -> str:
    return f"{settings.SITE_URL}/xapi/activities/question/{key}"


def key_from_iri(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]
