"""Many statements stored at once, with the same projections as `statement_record` one by one in their order, in
a few queries: one insert of the rows, one locked read of each projection's rows they touch, one write of the
changed rows and one of the new ones, the projector's queue in one insert. The LRS's batches about our reps use it
for the statements that only open a lesson or report time (most of what another system sends).
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.constants import OnConflict

from kizuna.ops.repcache import rep_changed

from . import vocab
from .models import CourseProgress, LessonProgress, PendingStatement, Statement
from .projections import (
    _APP_PROJECTIONS,
    _lessons_total,
    apply_deferred,
    apply_live_all,
    is_learner_event,
    project_course,
    project_lesson,
    reps_hold,
)
from .services import _STATEMENT_FIELDS, _course_activity, _eager, _lesson_activity, statement_build
from .time_reports import reported_time_statements

# The columns the projections change (LessonProgress.save() and _course_apply's UPDATE write no others).
_LESSON_WRITTEN = [
    *("started_at", "last_activity_at", "completed_at", "position_seconds"),
    *("played_segments", "progress", "time_spent_seconds"),
]
_COURSE_WRITTEN = [
    *("started_at", "last_activity_at", "completed_at", "lessons_completed"),
    *("time_spent_seconds", "last_lesson_id"),
]


def statements_record_many(statements: list[Statement]) -> list[Statement]:
    """Store statements built by `statement_build` (in this order) and update the projections as
    `statement_record` would one by one; return those stored. An id stored already is skipped, as a retry is."""
    if not statements:
        return []
    with transaction.atomic(savepoint=False):
        reps_hold(*{st.actor_id for st in statements})  # before any row of theirs is read (statement_record's rule)
        stored = _insert_many(statements)
        if not stored:
            return []
        _apply_live_many(stored)
        if settings.PROJECTIONS_EAGER or _eager.get():
            apply_deferred(stored)
        else:
            PendingStatement.objects.bulk_create([PendingStatement(seq=st.seq, stored=st.stored) for st in stored])
        rep_changed(*{st.actor_id for st in stored})
    return stored


def _insert_many(statements: list[Statement]) -> list[Statement]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING seq, id of every row at once; the rows inserted, in order."""
    by_id = {st.id: st for st in statements}
    step = max(1, (999 if connection.vendor == "sqlite" else 30000) // len(_STATEMENT_FIELDS))
    for start in range(0, len(statements), step):
        chunk = statements[start : start + step]
        returned = Statement._base_manager._insert(  # type: ignore[attr-defined]
            chunk,
            fields=_STATEMENT_FIELDS,
            returning_fields=[Statement._meta.pk, Statement._meta.get_field("id")],
            on_conflict=OnConflict.IGNORE,
        )
        for values in returned or []:
            if values is None or values[0] is None:
                continue
            st = by_id[values[1] if isinstance(values[1], uuid.UUID) else uuid.UUID(str(values[1]))]
            st.seq = values[0]
            st._state.adding = False
    return sorted((st for st in statements if not st._state.adding), key=lambda st: st.seq)


def _locked(model: Any, pairs: Iterable[tuple[int, Any]], field: str) -> dict[tuple[int, Any], Any]:
    wanted = set(pairs)
    if not wanted:
        return {}
    condition = Q()
    for user_id, other in wanted:
        condition |= Q(user_id=user_id, **{field: other})
    rows = model.objects.select_for_update(no_key=True).filter(condition).order_by("pk")
    return {(row.user_id, getattr(row, field)): row for row in rows}


def _apply_live_many(statements: list[Statement]) -> None:
    """apply_live_all of each statement in order, with the rep's lesson and course rows read once (locked) and
    written once. A first row that a concurrent request inserts meanwhile sends the batch down the one-by-one
    path (nothing of it was written yet)."""
    learning = [st for st in statements if is_learner_event(st) and st.course_id is not None]
    lessons = _locked(LessonProgress, [(st.actor_id, st.lesson_id) for st in learning if st.lesson_id], "lesson_id")
    courses = _locked(CourseProgress, [(st.actor_id, st.course_id) for st in learning], "course_id")
    old_lessons, old_courses = set(lessons), set(courses)
    totals: dict[int, int] = {}
    for st in learning:
        newly_completed = False
        if st.lesson_id is not None:
            key = (st.actor_id, st.lesson_id)
            lessons[key], newly_completed = project_lesson(lessons.get(key), st)
        ckey = (st.actor_id, st.course_id)
        courses[ckey] = project_course(
            courses.get(ckey),
            st,
            lessons_total=_lessons_total(st.course_version_id, totals) if ckey not in courses else 0,
            lesson_newly_completed=newly_completed,
        )
    new_lessons = [row for key, row in lessons.items() if key not in old_lessons]
    new_courses = [row for key, row in courses.items() if key not in old_courses]
    try:
        if new_lessons or new_courses:
            with transaction.atomic():
                LessonProgress.objects.bulk_create(new_lessons)
                CourseProgress.objects.bulk_create(new_courses)
    except IntegrityError:  # a first row another request inserted meanwhile: its rules, one statement at a time
        for st in statements:
            apply_live_all(st)
        return
    LessonProgress.objects.bulk_update([lessons[key] for key in old_lessons], _LESSON_WRITTEN)
    CourseProgress.objects.bulk_update([courses[key] for key in old_courses], _COURSE_WRITTEN)
    for st in statements:
        for projection in _APP_PROJECTIONS.values():
            if projection.live:
                projection.apply(st)


def launch_statement(*, rep: Any, lesson: Any, statement_id: uuid.UUID, timestamp: Any = None) -> Statement:
    """The statement `lesson_launch` stores, built for `statements_record_many`."""
    return statement_build(
        actor=rep,
        verb=vocab.LAUNCHED,
        activity=_lesson_activity(lesson),
        statement_id=statement_id,
        timestamp=timestamp,
    )


def lesson_time_statements(*, rep: Any, lesson: Any, seconds: float, statement_id: uuid.UUID) -> list[Statement]:
    """The statements `lesson_time_record(..., reported=True)` stores, built for `statements_record_many`."""
    return reported_time_statements(rep, _lesson_activity(lesson), seconds, statement_id, None)


def course_time_statements(*, rep: Any, version: Any, seconds: float, statement_id: uuid.UUID) -> list[Statement]:
    """The statements `course_time_record` stores, built for `statements_record_many`."""
    return reported_time_statements(rep, _course_activity(version), seconds, statement_id, None)
