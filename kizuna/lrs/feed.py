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
from kizuna.records.selectors import statement_owner_id
from kizuna.records.services import (
    MAX_REPORT_SECONDS,
    lesson_complete,
    lesson_launch,
    lesson_time_record,
    parse_duration,
)

logger = logging.getLogger(__name__)

ADL = "http://adlnet.gov/expapi/verbs/"


def statement_feed(*, person: Any, statement: dict[str, Any]) -> bool:
    """Feed one stored statement about a known person into the projections; return whether it counted."""
    obj = statement.get("object", {})
    if obj.get("objectType", "Activity") != "Activity" or not has_role(person, Role.REP):
        return False
    lesson_id = lesson_id_for_activity_iri(obj.get("id", ""))
    if lesson_id is None:
        return False
    try:
        lesson = access_lesson_for_user(person, lesson_id)
    except Http404:
        return False
    statement_id = uuid.UUID(statement["id"])
    if statement_owner_id(statement_id) is not None:
        return False
    verb = statement["verb"]["id"]
    result = statement.get("result", {})
    try:
        with transaction.atomic():
            return _feed(person=person, lesson=lesson, verb=verb, result=result, statement_id=statement_id)
    except ApplicationError as error:
        logger.info("statement %s stored but not projected: %s", statement_id, error.message)
        return False


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
