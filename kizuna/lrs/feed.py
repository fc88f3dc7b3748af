"""Statements from outside that name one of our reps and one of our published things feed the same projections
as our own, through the owning apps' write paths (so the same rules count them, once).

What a statement is about is kizuna.lrs.matching's; the rules, by what it names (README, "xAPI LRS"):

- a lesson: `launched` opens it; `progressed` (or `experienced`) with `result.duration` adds that learning time;
  `completed`, or `passed` (unless `result.success` is false), completes it — and the course once it was the
  last one — whatever the lesson's kind, since it was finished elsewhere. On a scored lesson (a SCORM package, a
  cmi5 course) `passed` / `failed` also record the lesson's result with its scaled score, as our own player does.
- a SCO of a package lesson: `launched`/`initialized` opens the lesson, `progressed`/`experienced` with a duration
  is learning time on it, `completed` / `passed` / `failed` is the SCO's outcome (kizuna.packages.runtime): the
  lesson is completed once every SCO of the package is done, and its result recorded, by the player's rule.
- a course: `completed` (or `passed` unless `success` is false) finishes the course as a whole (assignments, a
  certification's course requirement, the course's points), its lessons left as they were; `progressed` /
  `experienced` with a duration is learning time in the course.
- a cmi5 course (the LMS's id, or the publisher's id in `grouping` of a statement in the cmi5 category):
  `satisfied`, `completed` or `passed` completes the lesson that shows it (with a passed result when scored),
  `failed` records the failed result; an AU's `launched`/`initialized` opens the lesson, its `terminated`
  duration is learning time, and in a course of one AU its `completed`/`passed` count as the course satisfied
  when they meet the AU's moveOn (another LMS's `satisfied` says so for a course of many AUs).

Statements stored by our own LMS (cmi5's system credential and session grants) are never fed: the LMS counted
them already. Anything else, or anything an app refuses, is stored in the LRS without feeding the projections.
"""

import logging
import uuid
from typing import Any

from django.db import transaction
from django.http import Http404

from kizuna.catalog.kinds import content_kind
from kizuna.catalog.selectors import access_course_for_user, access_lesson_for_user, lesson_ids_showing_content
from kizuna.ops.errors import ApplicationError
from kizuna.orgs.access import Role, has_role
from kizuna.packages.runtime import sco_outcome_record
from kizuna.records.batch import (
    course_time_statements,
    launch_statement,
    lesson_time_statements,
    statements_record_many,
)
from kizuna.records.selectors import statement_ids_stored
from kizuna.records.services import (
    MAX_REPORT_SECONDS,
    course_complete,
    lesson_complete,
    lesson_launch,
    lesson_result_record,
    parse_duration,
)
from kizuna.records.time_reports import course_time_record, lesson_time_record

from .matching import CONTENT, COURSE, LESSON, SCO, Target, match_key, target_for
from .models import is_system_key

logger = logging.getLogger(__name__)

ADL = "http://adlnet.gov/expapi/verbs/"
ADL_W3ID = "https://w3id.org/xapi/adl/verbs/"
_SHORT = {
    ADL + name: name
    for name in ("launched", "initialized", "progressed", "experienced", "completed", "passed", "failed", "terminated")
}
_SHORT[ADL_W3ID + "satisfied"] = "satisfied"


def _from_our_lms(statement: dict[str, Any]) -> bool:
    account = (statement.get("authority") or {}).get("account") or {}
    return is_system_key(str(account.get("name", "")))


def statements_feed(items: list[tuple[Any, dict[str, Any]]]) -> int:
    """Feed stored statements about known people (in order) into the projections; return how many counted.

    Each activity id is resolved once and each person's access to what it names checked once per batch, and
    every id is checked against our own statements in one query, so a batch costs the apps' writes only.
    """
    targets: dict[tuple[str, ...], Target | None] = {}
    candidates = []
    for person, statement in items:
        obj = statement.get("object", {})
        verb = _SHORT.get(statement["verb"]["id"])
        if obj.get("objectType", "Activity") != "Activity" or verb is None or not has_role(person, Role.REP):
            continue
        if _from_our_lms(statement):
            continue
        key = match_key(obj.get("id", ""), statement)
        if key not in targets:
            targets[key] = target_for(obj.get("id", ""), statement)
        target = targets[key]
        if target is not None:
            candidates.append((person, statement, target, verb, uuid.UUID(statement["id"])))
    if not candidates:
        return 0
    ours = statement_ids_stored(statement_id for *_rest, statement_id in candidates)
    places: dict[tuple[int, Target], Any] = {}
    counted = 0
    # Runs of statements that only open something or report time are stored together (records.batch: the same
    # projections as one by one, in a few queries); any other statement is applied alone, in its place.
    run: list[tuple[list[Any], dict[str, Any]]] = []
    for person, statement, target, verb, statement_id in candidates:
        if statement_id in ours:
            continue
        if (person.pk, target) not in places:
            places[(person.pk, target)] = _place(person, target)
        place = places[(person.pk, target)]
        if place is None:
            continue
        result = statement.get("result") or {}
        args = {"person": person, "target": target, "place": place, "verb": verb, "result": result}
        args["statement_id"] = statement_id
        try:
            built = _built(**args)
        except ApplicationError:
            built = None  # applied alone, which says why it does not count
        if built is not None:
            run.append((built, args))
            continue
        counted += _run_record(run)
        run = []
        counted += _feed_alone(args)
    return counted + _run_record(run)


def _feed_alone(args: dict[str, Any]) -> int:
    try:
        with transaction.atomic():
            return int(_feed(**args))
    except ApplicationError as error:
        logger.info("statement %s stored but not projected: %s", args["statement_id"], error.message)
        return 0


def _run_record(run: list[tuple[list[Any], dict[str, Any]]]) -> int:
    """Store a run of built statements at once; if the records app refuses any, apply each alone (each one's
    refusal is then its own, as without the run)."""
    if not run:
        return 0
    try:
        with transaction.atomic():
            statements_record_many([st for built, _args in run for st in built])
    except ApplicationError:
        return sum(_feed_alone(args) for _built, args in run)
    return len(run)


def _routine(target: Target, verb: str, result: dict[str, Any]) -> tuple[str, float] | None:
    """("open", 0) when the statement opens what it names, ("time", seconds) when it reports time spent in it,
    None for anything else (outcomes). The one rule for both paths: `_built` stores these in runs, `_feed` one by
    one (and for the rest applies each kind's outcome rules)."""
    seconds = _seconds(result)
    if target.kind == CONTENT:
        if target.part != "au":
            return None
        if verb in ("launched", "initialized"):
            return "open", 0.0
        return ("time", seconds) if verb == "terminated" and seconds >= 1 else None
    if target.kind in (LESSON, SCO) and (verb == "launched" or (verb == "initialized" and target.kind == SCO)):
        return "open", 0.0
    if target.kind in (LESSON, SCO, COURSE) and verb in ("progressed", "experienced") and seconds > 0:
        return "time", seconds
    return None


def _built(
    *, person: Any, target: Target, place: Any, verb: str, result: dict[str, Any], statement_id: uuid.UUID
) -> list[Any] | None:
    """The statements a launch or a time report records (as `_feed` would store them), or None for the others."""
    routine = _routine(target, verb, result)
    if routine is None:
        return None
    what, seconds = routine
    if target.kind == COURSE:
        return course_time_statements(rep=person, version=place, seconds=seconds, statement_id=statement_id)
    if what == "open":
        return [launch_statement(rep=person, lesson=place, statement_id=statement_id)]
    return lesson_time_statements(rep=person, lesson=place, seconds=seconds, statement_id=statement_id)


def _place(person: Any, target: Target) -> Any:
    """The published lesson (or, for a course, its latest version) the rep may open, or None."""
    try:
        if target.kind in (LESSON, SCO):
            return access_lesson_for_user(person, target.id)
        if target.kind == COURSE:
            course = access_course_for_user(person, target.id)
            version = course.latest_version
            if version is None:
                return None
            version.course = course
            return version
        for lesson_id in lesson_ids_showing_content(kind=target.content_kind, content_id=target.id):
            try:
                return access_lesson_for_user(person, lesson_id)
            except Http404:
                continue
    except Http404:
        return None
    return None


def _seconds(result: dict[str, Any]) -> float:
    if not isinstance(result.get("duration"), str):
        return 0.0
    return min(parse_duration(result["duration"]), MAX_REPORT_SECONDS)


def _scaled(result: dict[str, Any]) -> float | None:
    value = (result.get("score") or {}).get("scaled")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _finished(verb: str, result: dict[str, Any]) -> bool:
    return verb == "completed" or (verb == "passed" and result.get("success", True) is not False)


def _feed(
    *, person: Any, target: Target, place: Any, verb: str, result: dict[str, Any], statement_id: uuid.UUID
) -> bool:
    routine = _routine(target, verb, result)
    if routine is not None:
        what, seconds = routine
        if target.kind == COURSE:
            course_time_record(rep=person, version=place, seconds=seconds, statement_id=statement_id)
        elif what == "open":
            lesson_launch(rep=person, lesson=place, statement_id=statement_id)
        else:
            lesson_time_record(rep=person, lesson=place, seconds=seconds, statement_id=statement_id, reported=True)
        return True
    if target.kind == LESSON:
        return _feed_lesson(person=person, lesson=place, verb=verb, result=result, statement_id=statement_id)
    if target.kind == SCO:
        return _feed_sco(person=person, lesson=place, target=target, verb=verb, result=result, sid=statement_id)
    if target.kind == COURSE:
        if _finished(verb, result):
            return course_complete(rep=person, version=place, statement_id=statement_id) is not None
        return False
    if target.kind == CONTENT:
        return _feed_content(person=person, lesson=place, target=target, verb=verb, result=result, sid=statement_id)
    return False


def _feed_lesson(*, person: Any, lesson: Any, verb: str, result: dict[str, Any], statement_id: uuid.UUID) -> bool:
    scored = (kind := content_kind(lesson.kind)) is not None and kind.scored
    counted = False
    if scored and verb in ("passed", "failed"):
        passed = verb == "passed" and result.get("success", True) is not False
        _result(person=person, lesson=lesson, passed=passed, result=result, statement_id=statement_id)
        counted = True
    if _finished(verb, result):
        completed = lesson_complete(rep=person, lesson=lesson, statement_id=statement_id, by_content=True)
        counted = counted or completed is not None
    return counted


def _result(*, person: Any, lesson: Any, passed: bool, result: dict[str, Any], statement_id: uuid.UUID) -> None:
    """The lesson's result, under an id of its own derived from the statement's (the statement's id may complete
    the lesson as well)."""
    lesson_result_record(
        rep=person,
        lesson=lesson,
        passed=passed,
        score_scaled=_scaled(result),
        statement_id=uuid.uuid5(statement_id, "result"),
    )


def _feed_sco(*, person: Any, lesson: Any, target: Target, verb: str, result: dict[str, Any], sid: uuid.UUID) -> bool:
    if verb in ("completed", "passed", "failed"):
        success = result.get("success")
        return sco_outcome_record(
            rep=person,
            lesson=lesson,
            identifier=target.part,
            verb=verb,
            success=success if isinstance(success, bool) else None,
            score_scaled=_scaled(result),
            statement_id=sid,
        )
    return False


def _feed_content(
    *, person: Any, lesson: Any, target: Target, verb: str, result: dict[str, Any], sid: uuid.UUID
) -> bool:
    if target.part == "au":
        if verb == "failed" and "passed" in target.meets:
            _result(person=person, lesson=lesson, passed=False, result=result, statement_id=sid)
            return True
        if verb not in target.meets or result.get("success") is False:
            return False
    elif verb == "failed":
        _result(person=person, lesson=lesson, passed=False, result=result, statement_id=sid)
        return True
    elif verb not in ("satisfied", "completed", "passed") or result.get("success") is False:
        return False
    if verb == "passed" or _scaled(result) is not None:
        _result(person=person, lesson=lesson, passed=True, result=result, statement_id=sid)
    lesson_complete(rep=person, lesson=lesson, statement_id=sid, by_content=True)
    return True
