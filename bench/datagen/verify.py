"""Checking the loaded projections against a replay with the app's own projection code."""

from __future__ import annotations

import random
from typing import Any

from .common import log


def verify_sample(world: dict[str, Any], n: int, seed: int) -> bool:
    """Replay the sampled reps' statements with the app's own projection code and compare with what was loaded."""
    from kizuna.records import projections
    from kizuna.records.models import CourseProgress, LessonProgress, Statement

    if not hasattr(projections, "_replay") or not hasattr(projections, "_Memory"):
        log("verify: kizuna.records.projections has no _replay/_Memory any more; skipped")
        return True
    rng = random.Random(f"{seed}-verify")
    active = [rep.user_id for rep in world["reps"] if rep.courses]
    sample = set(rng.sample(active, min(n, len(active))))
    sample.update(rep.user_id for rep in world["reps"][:3] if rep.courses)
    memory = projections._Memory(lessons={}, courses={}, lesson_counts={})
    statements = Statement.objects.filter(actor_id__in=sample).order_by("seq")
    projections._replay(statements.iterator(chunk_size=5000), memory)
    problems = []

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, float) or isinstance(b, float):
            return abs((a or 0) - (b or 0)) < 1e-6
        return a == b

    lesson_fields = [
        "started_at",
        "last_activity_at",
        "completed_at",
        "position_seconds",
        "played_segments",
        "progress",
        "time_spent_seconds",
        "course_id",
    ]
    stored_lessons = {(lp.user_id, lp.lesson_id): lp for lp in LessonProgress.objects.filter(user_id__in=sample)}
    if set(stored_lessons) != set(memory.lessons):
        problems.append(f"lesson rows differ: {len(stored_lessons)} loaded, {len(memory.lessons)} replayed")
    for key, expected in memory.lessons.items():
        got = stored_lessons.get(key)
        for name in lesson_fields if got else []:
            if not same(getattr(got, name), getattr(expected, name)):
                problems.append(
                    f"lesson {key} {name}: loaded {getattr(got, name)!r}, replay {getattr(expected, name)!r}"
                )
    course_fields = [
        "version_id",
        "partner_id",
        "started_at",
        "last_activity_at",
        "completed_at",
        "lessons_completed",
        "lessons_total",
        "time_spent_seconds",
        "last_lesson_id",
    ]
    stored_courses = {(cp.user_id, cp.course_id): cp for cp in CourseProgress.objects.filter(user_id__in=sample)}
    if set(stored_courses) != set(memory.courses):
        problems.append(f"course rows differ: {len(stored_courses)} loaded, {len(memory.courses)} replayed")
    for key, expected in memory.courses.items():
        got = stored_courses.get(key)
        for name in course_fields if got else []:
            if not same(getattr(got, name), getattr(expected, name)):
                problems.append(
                    f"course {key} {name}: loaded {getattr(got, name)!r}, replay {getattr(expected, name)!r}"
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
