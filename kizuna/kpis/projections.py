"""The learning rollups of the KPI board, derived from statements, live and by rebuild with one set of rules.

Which statements count (everything else is ignored after a look at the verb):

- ``passed``/``failed`` an assessment (a quiz): one quiz and its ``result.score.scaled`` in the month;
- ``completed`` a scenario: one scenario and its top-rep alignment (``result.extensions[alignment]``);
- ``passed``/``failed`` a roleplay (the rep's own result): one roleplay, its score, and whether passed;
- ``received`` a recognition for a community answer (actor = the answer's author): one accepted answer or one
  up-vote, by ``result.extensions[recognition]``; a later ``voided`` statement pointing at it takes it back;
- ``completed`` a course: the first completion is kept per rep and course, and counted in its month.

Months are calendar months in the deployment's time zone (settings.TIME_ZONE).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q

from kizuna.records import vocab as rv
from kizuna.records.models import Statement
from kizuna.records.projections import rebuild_in_passes

from . import vocab
from .models import CourseCompletion, LearningMonth, Recognition
from .periods import month_of

SCALE = 10_000
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def units(value: Any) -> int:
    try:
        return round(float(value) * SCALE)
    except (TypeError, ValueError):
        return 0


def verbs() -> tuple[str, ...]:
    return (rv.PASSED.iri, rv.FAILED.iri, rv.COMPLETED.iri, vocab.RECEIVED.iri, rv.VOIDED.iri)


def object_types() -> tuple[str, ...]:
    return (
        vocab.TYPE_ASSESSMENT.iri,
        vocab.TYPE_SCENARIO.iri,
        vocab.TYPE_ROLEPLAY.iri,
        vocab.TYPE_COMMUNITY_ANSWER.iri,
        rv.TYPE_COURSE.iri,
    )


def _score(st: Statement) -> Any:
    return ((st.result or {}).get("score") or {}).get("scaled")


def _extension(st: Statement, term: vocab.Term) -> Any:
    return ((st.result or {}).get("extensions") or {}).get(term.iri)


def voided_id(st: Statement) -> uuid.UUID | None:
    """The id of the statement a ``voided`` statement points at (its object is a StatementRef)."""
    match = _UUID.search(st.object_iri or "")
    return uuid.UUID(match.group(0)) if match else None


class _Store:
    """Where rows come from: the database (live) or dictionaries (rebuild)."""

    def month(self, rep_id: int, partner_id: int | None, month: date) -> LearningMonth:
        raise NotImplementedError

    def done(self, row: LearningMonth) -> None:
        raise NotImplementedError

    def completion(self, st: Statement) -> bool:
        raise NotImplementedError

    def recognition_add(self, row: Recognition) -> None:
        raise NotImplementedError

    def recognition(self, statement_id: uuid.UUID) -> Recognition | None:
        raise NotImplementedError

    def done_recognition(self, row: Recognition) -> None:
        raise NotImplementedError


def _apply(st: Statement, store: _Store) -> None:
    verb, kind = st.verb, st.object_type
    month = month_of(st.timestamp)
    if verb == rv.VOIDED.iri:
        target = voided_id(st)
        rec = store.recognition(target) if target else None
        if rec is None or rec.voided:
            return
        rec.voided = True
        row = store.month(rec.rep_id, None, rec.month)
        if rec.kind == "accepted":
            row.answers_accepted -= 1
        else:
            row.answers_upvoted -= 1
        store.done(row)
        store.done_recognition(rec)
        return
    if kind == vocab.TYPE_ASSESSMENT.iri and verb in (rv.PASSED.iri, rv.FAILED.iri):
        row = store.month(st.actor_id, st.partner_id, month)
        row.quizzes += 1
        row.quiz_score_units += units(_score(st))
    elif kind == vocab.TYPE_SCENARIO.iri and verb == rv.COMPLETED.iri:
        row = store.month(st.actor_id, st.partner_id, month)
        row.scenarios += 1
        row.alignment_units += units(_extension(st, vocab.EXT_ALIGNMENT))
    elif kind == vocab.TYPE_ROLEPLAY.iri and verb in (rv.PASSED.iri, rv.FAILED.iri):
        row = store.month(st.actor_id, st.partner_id, month)
        row.roleplays += 1
        row.roleplay_score_units += units(_score(st))
        row.roleplays_passed += verb == rv.PASSED.iri
    elif kind == vocab.TYPE_COMMUNITY_ANSWER.iri and verb == vocab.RECEIVED.iri:
        recognition = "accepted" if _extension(st, vocab.EXT_RECOGNITION) == "accepted" else "upvoted"
        if store.recognition(st.id) is not None:
            return
        store.recognition_add(Recognition(statement_id=st.id, rep_id=st.actor_id, month=month, kind=recognition))
        row = store.month(st.actor_id, st.partner_id, month)
        if recognition == "accepted":
            row.answers_accepted += 1
        else:
            row.answers_upvoted += 1
    elif kind == rv.TYPE_COURSE.iri and verb == rv.COMPLETED.iri and st.course_id is not None:
        if not store.completion(st):
            return
        row = store.month(st.actor_id, st.partner_id, month)
        row.courses_completed += 1
    else:
        return
    store.done(row)


class _LiveStore(_Store):
    def month(self, rep_id: int, partner_id: int | None, month: date) -> LearningMonth:
        row = LearningMonth.objects.select_for_update().filter(rep_id=rep_id, month=month).first()
        return row or LearningMonth(rep_id=rep_id, partner_id=partner_id, month=month)

    def done(self, row: LearningMonth) -> None:
        row.save()

    def completion(self, st: Statement) -> bool:
        if CourseCompletion.objects.filter(rep_id=st.actor_id, course_id=st.course_id).exists():
            return False
        CourseCompletion.objects.create(
            rep_id=st.actor_id, partner_id=st.partner_id, course_id=st.course_id, completed_at=st.timestamp
        )
        return True

    def recognition_add(self, row: Recognition) -> None:
        row.save()

    def recognition(self, statement_id: uuid.UUID) -> Recognition | None:
        return Recognition.objects.select_for_update().filter(statement_id=statement_id).first()

    def done_recognition(self, row: Recognition) -> None:
        row.save(update_fields=["voided"])


class _MemoryStore(_Store):
    def __init__(self) -> None:
        self.months: dict[tuple[int, date], LearningMonth] = {}
        self.completions: dict[tuple[int, int], CourseCompletion] = {}
        self.recognitions: dict[uuid.UUID, Recognition] = {}

    def month(self, rep_id: int, partner_id: int | None, month: date) -> LearningMonth:
        key = (rep_id, month)
        if key not in self.months:
            self.months[key] = LearningMonth(rep_id=rep_id, partner_id=partner_id, month=month)
        return self.months[key]

    def done(self, row: LearningMonth) -> None:
        pass

    def completion(self, st: Statement) -> bool:
        key = (st.actor_id, st.course_id)
        if key in self.completions:
            return False
        self.completions[key] = CourseCompletion(
            rep_id=st.actor_id, partner_id=st.partner_id, course_id=st.course_id, completed_at=st.timestamp
        )
        return True

    def recognition_add(self, row: Recognition) -> None:
        self.recognitions[row.statement_id] = row

    def recognition(self, statement_id: uuid.UUID) -> Recognition | None:
        return self.recognitions.get(statement_id)

    def done_recognition(self, row: Recognition) -> None:
        pass


def apply_statement(st: Statement) -> None:
    """Apply one newly stored statement (inside the transaction that stores it)."""
    if st.verb not in verbs():
        return
    _apply(st, _LiveStore())


def replay(statements: Iterable[Statement]) -> _MemoryStore:
    memory = _MemoryStore()
    for st in statements:
        _apply(st, memory)
    return memory


def rebuild() -> int:
    """Throw the rollups away and derive them again from every statement, in stored order."""
    LearningMonth.objects.all().delete()
    CourseCompletion.objects.all().delete()
    Recognition.objects.all().delete()
    memory = replay(_all_relevant())
    LearningMonth.objects.bulk_create(memory.months.values(), batch_size=5000)
    CourseCompletion.objects.bulk_create(memory.completions.values(), batch_size=5000)
    Recognition.objects.bulk_create(memory.recognitions.values(), batch_size=5000)
    return len(memory.months) + len(memory.completions) + len(memory.recognitions)


def rebuild_reps(rep_ids: list[int]) -> int:
    """Derive these reps' rollups again from all their statements (a partner's rebuild): every row here is one
    rep's, counted from their own statements and the voids of them (whoever voids)."""

    def one_pass(group: list[int]) -> int:
        LearningMonth.objects.filter(rep_id__in=group).delete()
        CourseCompletion.objects.filter(rep_id__in=group).delete()
        Recognition.objects.filter(rep_id__in=group).delete()
        memory = replay(_all_relevant(group))
        LearningMonth.objects.bulk_create(memory.months.values(), batch_size=5000)
        CourseCompletion.objects.bulk_create(memory.completions.values(), batch_size=5000)
        Recognition.objects.bulk_create(memory.recognitions.values(), batch_size=5000)
        return len(memory.months) + len(memory.completions) + len(memory.recognitions)

    return rebuild_in_passes(rep_ids, one_pass)


def _all_relevant(actors: list[int] | None = None) -> Iterable[Statement]:
    # A void's object type is whatever the voiding app gave its StatementRef: read every void.
    counted = Q(verb__in=verbs(), object_type__in=object_types())
    if actors is not None:
        counted &= Q(actor_id__in=actors)
    return (
        Statement.objects.filter(Q(verb=rv.VOIDED.iri) | counted)
        .order_by("seq")
        .only(
            "seq",
            "id",
            "actor_id",
            "partner_id",
            "verb",
            "object_iri",
            "object_type",
            "course_id",
            "result",
            "timestamp",
        )
        .iterator(chunk_size=5000)
    )
