"""Checking the loaded projections against a replay with the app's own projection code."""

from __future__ import annotations

import random
from typing import Any

from .common import log


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return abs((a or 0) - (b or 0)) < 1e-6
    return a == b


def verify_sample(world: dict[str, Any], n: int, seed: int) -> bool:
    """Replay the sampled reps' statements with the app's own projection code and compare with what was loaded."""
    from kizuna.records import projections
    from kizuna.records.models import CourseProgress, LearningDay, LessonProgress, Statement

    rng = random.Random(f"{seed}-verify")
    active = [rep.user_id for rep in world["reps"] if rep.courses]
    sample = set(rng.sample(active, min(n, len(active))))
    sample.update(rep.user_id for rep in world["reps"][:3] if rep.courses)
    statements = Statement.objects.filter(actor_id__in=sample).order_by("seq")
    memory = projections.replay(statements.iterator(chunk_size=5000))
    problems: list[str] = []
    checks = [
        (
            "lesson",
            LessonProgress.objects.filter(user_id__in=sample),
            ("user_id", "lesson_id"),
            memory.lessons,
            projections.LESSON_PROGRESS_FIELDS,
        ),
        (
            "course",
            CourseProgress.objects.filter(user_id__in=sample),
            ("user_id", "course_id"),
            memory.courses,
            projections.COURSE_PROGRESS_FIELDS,
        ),
        (
            "day",
            LearningDay.objects.filter(user_id__in=sample),
            ("user_id", "day"),
            memory.days,
            projections.LEARNING_DAY_FIELDS,
        ),
    ]
    for label, rows, key_fields, replayed, fields in checks:
        stored = {tuple(getattr(row, f) for f in key_fields): row for row in rows}
        if set(stored) != set(replayed):
            problems.append(f"{label} rows differ: {len(stored)} loaded, {len(replayed)} replayed")
        for key, expected in replayed.items():
            got = stored.get(key)
            for name in fields if got else []:
                if not _same(getattr(got, name), getattr(expected, name)):
                    problems.append(
                        f"{label} {key} {name}: loaded {getattr(got, name)!r}, replay {getattr(expected, name)!r}"
                    )
    if problems:
        log(f"verify: MISMATCH for {len(sample)} sampled reps ({len(problems)} differences), first ones:")
        for problem in problems[:10]:
            print("    " + problem)
        return False
    log(
        f"verify: projections of {len(sample)} sampled reps match a replay with kizuna.records.projections "
        f"({len(memory.lessons):,} lesson rows, {len(memory.courses):,} course rows)"
    )
    return True
