"""Statements from outside that name one of our reps and one of our published lessons feed the same projections
as our own, through the records app's write path (so the same rules count them, once).

The rules: `launched` opens the lesson; `progressed` (or `experienced`) with `result.duration` adds that learning
time; `completed`, or `passed` (unless `result.success` is false), completes the lesson — and the course once it
was the last one — whatever the lesson's kind, since it was finished elsewhere (a package, an authoring tool).
Anything else, or anything the records app refuses, is stored in the LRS without feeding the projections.
"""

import logging
import uuid
from typing import Any

from django.db import transaction
from django.http import Http404

from kizuna.catalog.selectors import access_lesson_for_user, lesson_id_for_activity_iri
from kizuna.ops.errors import ApplicationError
from kizuna.orgs.access import Role, has_role
from kizuna.records.selectors import statement_ids_stored
from kizuna.records.services import (
    MAX_REPORT_SECONDS,
    lesson_complete,
    lesson_launch,
    lesson_time_record,
    parse_duration,
)

logger = logging.getLogger(__name__)

ADL = "http://adlnet.gov/expapi/verbs/"


def statements_feed(items: list[tuple[Any, dict[str, Any]]]) -> int:
    """Feed stored statements about known people (in order) into the projections; return how many counted.

    Each activity IRI is looked up once and each person's access to a lesson checked once per batch, and every
    id is checked against our own statements in one query, so a batch costs the records app's writes only.
    """
    lesson_ids: dict[str, int | None] = {}
    candidates = []
    for person, statement in items:
        obj = statement.get("object", {})
        if obj.get("objectType", "Activity") != "Activity" or not has_role(person, Role.REP):
            continue
        iri = obj.get("id", "")
        if iri not in lesson_ids:
            lesson_ids[iri] = lesson_id_for_activity_iri(iri)
        lesson_id = lesson_ids[iri]
        if lesson_id is not None:
            candidates.append((person, statement, lesson_id, uuid.UUID(statement["id"])))
    if not candidates:
        return 0
    ours = statement_ids_stored(statement_id for _p, _s, _l, statement_id in candidates)
    lessons: dict[tuple[int, int], Any] = {}
    counted = 0
    for person, statement, lesson_id, statement_id in candidates:
        if statement_id in ours:
            continue
        if (person.pk, lesson_id) not in lessons:
            try:
                lessons[(person.pk, lesson_id)] = access_lesson_for_user(person, lesson_id)
            except Http404:
                lessons[(person.pk, lesson_id)] = None
        lesson = lessons[(person.pk, lesson_id)]
        if lesson is None:
            continue
        verb = statement["verb"]["id"]
        result = statement.get("result", {})
        try:
            with transaction.atomic():
                counted += _feed(person=person, lesson=lesson, verb=verb, result=result, statement_id=statement_id)
        except ApplicationError as error:
            logger.info("statement %s stored but not projected: %s", statement_id, error.message)
    return counted


def _feed(*, person: Any, lesson: Any, verb: str, result: dict[str, Any], statement_id: uuid.UUID) -> bool:
    if verb == ADL + "launched":
        lesson_launch(rep=person, lesson=lesson, statement_id=statement_id)
        return True
    if verb in (ADL + "progressed", ADL + "experienced") and "duration" in result:
        seconds = min(parse_duration(result["duration"]), MAX_REPORT_SECONDS)
        if seconds <= 0:
            return False
        lesson_time_record(rep=person, lesson=lesson, seconds=seconds, statement_id=statement_id)
        return True
    if verb == ADL + "completed" or (verb == ADL + "passed" and result.get("success", True) is not False):
        return lesson_complete(rep=person, lesson=lesson, statement_id=statement_id, by_content=True) is not None
    return False
