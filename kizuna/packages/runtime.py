"""A SCO's commits: the runtime data the player (scorm-again) sends, stored for resuming and turned into statements.

Each commit carries the SCO's whole data model, flattened (``{"cmi.core.lesson_status": "passed", …}``). It is
compared with what the rep's state already holds, and only what changed becomes statements, after ADL's
SCORM-to-xAPI mapping: the first commit of a session ``initialized`` (``resumed`` after a suspend), more session
time ``progressed`` (with the new time as ``result.duration``), each new answer ``answered`` on a
``cmi.interaction``, a status reached ``completed`` / ``passed`` / ``failed`` (with the score), the last commit
``terminated`` (``suspended`` when the SCO exits with suspend). So a repeated commit records nothing twice, and
statement ids are derived from the registration, the session and what happened (a retry makes the same id).
When every SCO of the package is done, the lesson is completed through the records write path.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.records import services as records
from kizuna.records import vocab as records_vocab
from kizuna.records.content import content_source
from kizuna.records.projections import MAX_COUNTED_SECONDS

from . import sequencing, vocab
from .models import Sco, ScoState, Standard
from .services import PACKAGE_KIND, PackageError

if TYPE_CHECKING:
    from kizuna.accounts.models import User

# One commit is at most this large (suspend data of 1.2 is 4 KB, of 2004 64 KB; interactions add to it).
MAX_COMMIT_KEYS = 5000
_HHMMSS = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d(?:\.\d{1,2})?)$")
_INTERACTION = re.compile(r"^cmi\.interactions\.(\d{1,4})\.(.+)$")
_XAPI_INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}


@dataclass
class Snapshot:
    """What one commit says, the same for SCORM 1.2 and 2004."""

    completion: str = "unknown"  # completed, incomplete, not attempted, unknown
    success: str = "unknown"  # passed, failed, unknown
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    score_scaled: float | None = None
    session_seconds: float | None = None
    location: str = ""
    suspend_data: str = ""
    exit: str = ""
    interactions: list[dict[str, Any]] = field(default_factory=list)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) < 1e12 else None  # not NaN, not absurd


def _seconds(value: Any, standard: str) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    if standard == Standard.SCORM12:
        match = _HHMMSS.match(value)
        return int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3]) if match else None
    try:
        return records.parse_duration(value)
    except records.StatementError:
        return None


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    return value[:limit] if isinstance(value, str) else ""


def _interactions(data: dict[str, Any], standard: str) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for key, value in data.items():
        match = _INTERACTION.match(key)
        if match and isinstance(value, str):
            rows.setdefault(int(match[1]), {"index": int(match[1]), "patterns": {}})
            name = match[2]
            if name.startswith("correct_responses.") and name.endswith(".pattern"):
                rows[int(match[1])]["patterns"][name] = value[:4000]
            else:
                rows[int(match[1])][name] = value[:4000]
    response_key = "student_response" if standard == Standard.SCORM12 else "learner_response"
    result = []
    for index in sorted(rows):
        row = rows[index]
        if not row.get("id"):
            continue
        result.append(
            {
                "index": index,
                "id": row["id"][:255],
                "type": row.get("type", ""),
                "response": row.get(response_key, ""),
                "result": row.get("result", ""),
                "description": row.get("description", ""),
                "patterns": [row["patterns"][k] for k in sorted(row["patterns"])],
            }
        )
    return result


def snapshot_from(data: dict[str, Any], standard: str, *, mastery_score: float | None = None) -> Snapshot:
    """Read a flattened commit of either standard; ``mastery_score`` (0–100) is the SCO's from the manifest."""
    snap = Snapshot(interactions=_interactions(data, standard))
    if standard == Standard.SCORM12:
        status = _text(data, "cmi.core.lesson_status", 20)
        if status in ("passed", "completed", "failed"):
            snap.completion = "completed"
        elif status in ("incomplete", "browsed"):
            snap.completion = "incomplete"
        elif status == "not attempted":
            snap.completion = status
        snap.success = status if status in ("passed", "failed") else "unknown"
        prefix, time_key = "cmi.core.score.", "cmi.core.session_time"
        snap.location = _text(data, "cmi.core.lesson_location", 1000)
        snap.exit = _text(data, "cmi.core.exit", 16)
    else:
        completion = _text(data, "cmi.completion_status", 20)
        success = _text(data, "cmi.success_status", 20)
        snap.completion = completion if completion in ("completed", "incomplete", "not attempted") else "unknown"
        snap.success = success if success in ("passed", "failed") else "unknown"
        prefix, time_key = "cmi.score.", "cmi.session_time"
        snap.location = _text(data, "cmi.location", 1000)
        snap.exit = _text(data, "cmi.exit", 16)
        snap.score_scaled = _number(data.get(prefix + "scaled"))
    snap.suspend_data = _text(data, "cmi.suspend_data", 64000)
    snap.score_raw = _number(data.get(prefix + "raw"))
    snap.score_min = _number(data.get(prefix + "min"))
    snap.score_max = _number(data.get(prefix + "max"))
    if snap.score_scaled is None and snap.score_raw is not None:
        low = snap.score_min if snap.score_min is not None else 0.0
        high = snap.score_max if snap.score_max is not None else 100.0
        if high > low:
            snap.score_scaled = (snap.score_raw - low) / (high - low)
    if snap.score_scaled is not None:
        snap.score_scaled = round(max(-1.0, min(1.0, snap.score_scaled)), 4)
    snap.session_seconds = _seconds(data.get(time_key), standard)
    _apply_mastery(snap, standard, mastery_score)
    return snap


def _apply_mastery(snap: Snapshot, standard: str, mastery_score: float | None) -> None:
    """Judge the score against the manifest's mastery score, as the LMS's part of each standard says.

    SCORM 1.2 (RTE 3.4.4, cmi.core.lesson_status): with a mastery score, a SCO that reports a score and only
    "completed" is passed or failed by the LMS. SCORM 2004 (RTE 4.2.22, cmi.success_status): with a
    scaled_passing_score and a cmi.score.scaled, the success status is the LMS's comparison of the two,
    whatever the SCO said.
    """
    if mastery_score is None:
        return
    if standard == Standard.SCORM12:
        if snap.score_raw is not None and snap.completion == "completed" and snap.success == "unknown":
            snap.success = "passed" if snap.score_raw >= mastery_score - 1e-9 else "failed"
    elif snap.score_scaled is not None:
        snap.success = "passed" if snap.score_scaled >= mastery_score / 100 - 1e-9 else "failed"


# --- Statements ---------------------------------------------------------------------------------


def _sco_activity(lesson: Any, sco: Sco, *, counts_for_lesson: bool = True) -> records.Activity:
    """The SCO as an activity under the lesson; ``counts_for_lesson=False`` keeps its `completed` from
    completing the whole lesson (the package decides that, when every SCO is done)."""
    base = content_source().lesson_activity(lesson)
    return records.Activity(
        iri=f"{base['iri']}/sco/{quote(sco.identifier, safe='')}",
        type=vocab.TYPE_SCO,
        name={"ja-JP": sco.title},
        course_id=base["course_id"] if counts_for_lesson else None,
        course_version_id=base["course_version_id"],
        lesson_id=base["lesson_id"] if counts_for_lesson else None,
        parents=[base["iri"], *base.get("parents", [])],
    )


def _xapi_pattern(value: str, kind: str, standard: str) -> str:
    """SCORM 1.2 separates choices with "," and pairs with "."; xAPI (like 2004) with "[,]" and "[.]"."""
    if standard == Standard.SCORM12:
        if kind in ("choice", "sequencing"):
            return "[,]".join(part.strip() for part in value.split(","))
        if kind == "matching":
            return "[,]".join(part.strip().replace(".", "[.]", 1) for part in value.split(","))
    if kind == "true-false":
        return {"t": "true", "1": "true", "f": "false", "0": "false"}.get(value.strip().lower(), value.strip())
    return value


def _interaction_statement(
    *, rep: "User", lesson: Any, sco: Sco, state: ScoState, row: dict[str, Any], statement_id: uuid.UUID
) -> None:
    standard = sco.package.standard
    kind = row["type"] if row["type"] in _XAPI_INTERACTION_TYPES else "other"
    sco_activity = _sco_activity(lesson, sco)
    definition: dict[str, Any] = {"interactionType": kind}
    if row["patterns"]:
        definition["correctResponsesPattern"] = [_xapi_pattern(p, kind, standard) for p in row["patterns"]]
    if row["description"]:
        definition["description"] = {"ja-JP": row["description"][:500]}
    result: dict[str, Any] = {"response": _xapi_pattern(row["response"], kind, standard)}
    if row["result"] in ("correct", "wrong", "incorrect"):
        result["success"] = row["result"] == "correct"
    records.statement_record(
        actor=rep,
        verb=records_vocab.ANSWERED,
        activity=records.Activity(
            iri=f"{sco_activity.iri}/interactions/{quote(row['id'], safe='')}",
            type=vocab.TYPE_INTERACTION,
            name={"ja-JP": row["description"][:200] or row["id"]},
            course_id=sco_activity.course_id,
            course_version_id=sco_activity.course_version_id,
            lesson_id=sco_activity.lesson_id,
            parents=[sco_activity.iri],
            definition=definition,
        ),
        result=result,
        statement_id=statement_id,
        registration=state.registration,
    )


def _score(state: ScoState) -> dict[str, Any] | None:
    score = {"scaled": state.score_scaled, "raw": state.score_raw, "min": state.score_min, "max": state.score_max}
    low, raw, high = state.score_min, state.score_raw, state.score_max
    if low is not None and raw is not None and high is not None and not low <= raw <= high:
        score.pop("raw")  # xAPI: raw lies between min and max
    score = {k: v for k, v in score.items() if v is not None}
    return score or None


class _Recorder:
    """Makes the statements of one commit, with ids derived from the registration and what happened."""

    def __init__(self, rep: "User", lesson: Any, sco: Sco, state: ScoState, session_id: uuid.UUID) -> None:
        self.rep, self.lesson, self.sco, self.state, self.session_id = rep, lesson, sco, state, session_id

    def id_for(self, what: str) -> uuid.UUID:
        return uuid.uuid5(self.state.registration, f"{self.session_id}:{what}")

    def record(
        self, verb: Any, what: str, *, result: dict[str, Any] | None = None, counted: bool = True, whole: bool = True
    ) -> None:
        records.statement_record(
            actor=self.rep,
            verb=verb,
            activity=_sco_activity(self.lesson, self.sco, counts_for_lesson=whole),
            result=result,
            statement_id=self.id_for(what),
            registration=self.state.registration,
            counted=counted,
        )


def _state_locked(*, rep: "User", lesson: Any, sco: Sco) -> ScoState:
    state = ScoState.objects.select_for_update().filter(rep=rep, sco=sco).first()
    if state is None:
        ScoState.objects.get_or_create(rep=rep, sco=sco, defaults={"lesson_id": lesson.pk})
        state = ScoState.objects.select_for_update().get(rep=rep, sco=sco)
    return state


def _start_session(rec: _Recorder, state: ScoState, now: datetime) -> None:
    resumed = state.exit == "suspend" and state.session_id is not None
    if state.session_started_at is not None:  # the previous session never terminated: keep its time
        state.total_seconds += state.session_seconds
    state.session_id, state.session_started_at = rec.session_id, now
    state.session_seconds, state.session_interactions = 0.0, {}
    if not resumed:
        state.attempts += 1
    rec.record(vocab.RESUMED if resumed else records_vocab.INITIALIZED, "start")


def _record_time(rec: _Recorder, state: ScoState, seconds: float | None, now: datetime) -> None:
    """Count the session's new time, never more than the clock allows since the session started."""
    if seconds is None or seconds <= state.session_seconds or state.session_started_at is None:
        return
    wall = (now - state.session_started_at).total_seconds() + 60
    new = min(seconds, wall)
    delta = new - state.session_seconds
    start = state.session_seconds
    # One statement counts at most MAX_COUNTED_SECONDS (records.projections): longer time is told in parts.
    while delta >= 1:
        part = min(delta, MAX_COUNTED_SECONDS)
        rec.record(
            records_vocab.PROGRESSED,
            f"time:{round(start, 2)}:{round(part, 2)}",
            result={"duration": records.format_duration(part)},
        )
        start += part
        delta -= part
    state.session_seconds = new


def sco_launch(*, rep: "User", lesson: Any, sco: Sco) -> ScoState | None:
    """Note that the rep opened an asset (which never talks to the API): opening it completes it."""
    if not sco.is_asset:
        return None
    with transaction.atomic():
        state = _state_locked(rep=rep, lesson=lesson, sco=sco)
        session = uuid.uuid5(state.registration, "asset")
        if state.completion != "completed":
            rec = _Recorder(rep, lesson, sco, state, session)
            rec.record(records_vocab.COMPLETED, "completed", result={"completion": True}, whole=False)
            state.completion, state.lesson_id = "completed", lesson.pk
            state.attempts = max(state.attempts, 1)
            state.save()
        _roll_up(rep=rep, lesson=lesson, sco=sco, state=state, session_id=session)
    return state


def sco_commit(
    *,
    rep: "User",
    lesson: Any,
    sco: Sco,
    session_id: uuid.UUID,
    data: Any,
    terminate: bool = False,
    now: datetime | None = None,
) -> ScoState:
    """Store one commit of a SCO for the rep and record what changed since the previous one (idempotent)."""
    if not isinstance(data, dict) or len(data) > MAX_COMMIT_KEYS:
        raise PackageError([_("The course sent data that is not a SCORM data model.")])
    now = now or timezone.now()
    snap = snapshot_from(data, sco.package.standard, mastery_score=sco.mastery_score)
    with transaction.atomic():
        state = _state_locked(rep=rep, lesson=lesson, sco=sco)
        if state.session_id == session_id and state.session_started_at is None:
            return state  # a repeat of a session that already terminated
        rec = _Recorder(rep, lesson, sco, state, session_id)
        if state.session_id != session_id:
            _start_session(rec, state, now)
        _record_time(rec, state, snap.session_seconds, now)
        for row in snap.interactions:
            fingerprint = f"{row['response']}|{row['result']}"
            if (row["response"] or row["result"]) and state.session_interactions.get(str(row["index"])) != fingerprint:
                what = f"interaction:{row['index']}:{uuid.uuid5(uuid.NAMESPACE_OID, fingerprint)}"
                _interaction_statement(
                    rep=rep, lesson=lesson, sco=sco, state=state, row=row, statement_id=rec.id_for(what)
                )
                state.session_interactions[str(row["index"])] = fingerprint
        newly_completed = snap.completion == "completed" and state.completion != "completed"
        new_success = snap.success if snap.success in ("passed", "failed") and snap.success != state.success else ""
        state.completion = snap.completion if snap.completion != "unknown" else state.completion
        state.success = snap.success if snap.success != "unknown" else state.success
        if snap.score_raw is not None or snap.score_scaled is not None:
            state.score_raw, state.score_min, state.score_max = snap.score_raw, snap.score_min, snap.score_max
            state.score_scaled = snap.score_scaled
        state.location, state.suspend_data, state.exit = snap.location, snap.suspend_data, snap.exit
        state.lesson_id = lesson.pk
        if newly_completed:
            rec.record(records_vocab.COMPLETED, "completed", result={"completion": True}, whole=False)
        if new_success:
            verb = records_vocab.PASSED if new_success == "passed" else records_vocab.FAILED
            result: dict[str, Any] = {"success": new_success == "passed", "score": _score(state)}
            rec.record(verb, f"{new_success}:{state.score_raw}:{state.score_scaled}", result=result)
        if terminate:
            suspended = state.exit == "suspend"
            rec.record(
                vocab.SUSPENDED if suspended else records_vocab.TERMINATED,
                "end",
                result={"duration": records.format_duration(state.session_seconds)},
                counted=False,  # told already by the session's `progressed`
            )
            state.total_seconds += state.session_seconds
            state.session_seconds, state.session_started_at = 0.0, None
        state.commits += 1
        state.save()
        if newly_completed or new_success:
            _roll_up(rep=rep, lesson=lesson, sco=sco, state=state, session_id=session_id)
    return state


def sco_outcome_record(
    *,
    rep: "User",
    lesson: Any,
    identifier: str,
    verb: str,
    success: bool | None,
    score_scaled: float | None,
    statement_id: uuid.UUID,
) -> bool:
    """Take a SCO's outcome that another system reported (``completed``, ``passed`` or ``failed`` on the SCO's
    activity id); return whether it changed the rep's state in the SCO.

    The SCO's state takes it as a commit would (a SCO done stays done: a later `failed` does not undo a pass),
    and the package rolls up by the same rule as in our player: the lesson is completed once every SCO is done,
    and its result recorded once every SCO has an outcome. A repeat of the same outcome changes nothing.
    """
    if lesson.kind != PACKAGE_KIND or lesson.content_id is None:
        return False
    sco = Sco.objects.filter(package_id=lesson.content_id, identifier=identifier).first()
    if sco is None:
        return False
    with transaction.atomic():
        state = _state_locked(rep=rep, lesson=lesson, sco=sco)
        before = (state.completion, state.success, state.score_scaled)
        if verb == "completed" and success is not False:
            state.completion = "completed"
        if verb == "passed" or (verb == "completed" and success is True):
            state.success = "passed"
        elif (verb == "failed" or success is False) and not state.is_done:
            state.success = "failed"
        if score_scaled is not None and (state.success != "passed" or verb == "passed"):
            state.score_scaled = round(max(-1.0, min(1.0, float(score_scaled))), 4)
        if (state.completion, state.success, state.score_scaled) == before:
            return False
        state.lesson_id = lesson.pk
        state.save()
        _roll_up(rep=rep, lesson=lesson, sco=sco, state=state, session_id=statement_id)
    return True


def _roll_up(*, rep: "User", lesson: Any, sco: Sco, state: ScoState, session_id: uuid.UUID) -> None:
    """Complete the lesson once every SCO of its package is done, and record the package's result once every
    SCO has an outcome and any of them was scored or judged: passed when none failed, with the mean of the
    SCOs' scaled scores (what a certification's minimum score reads, kizuna.records.services).

    A sequenced SCORM 2004 package rolls up by its own rules instead (kizuna.packages.sequencing): the lesson
    is complete when the organization is done, and its result is recorded once the organization's
    satisfaction is known."""
    states = {s.sco_id: s for s in ScoState.objects.filter(rep=rep, sco__package_id=sco.package_id)}
    states[state.sco_id] = state
    scos = dict(Sco.objects.filter(package_id=sco.package_id).values_list("pk", "identifier"))
    mine = [states.get(pk) for pk in scos]
    tree = sequencing.tree_for(sco.package, {scos[pk]: s for pk, s in states.items() if pk in scos})
    if tree is not None:
        if tree.done():
            records.lesson_complete(rep=rep, lesson=lesson, by_content=True)
        satisfied = tree.status[tree.root["id"]].satisfied
        ended = [s for s in mine if s is not None and (s.is_done or s.success == "failed")]
        if satisfied is None or not ended:
            return
        passed = satisfied
    else:
        if all(s is not None and s.is_done for s in mine):
            records.lesson_complete(rep=rep, lesson=lesson, by_content=True)
        ended = [s for s in mine if s is not None and (s.is_done or s.success == "failed")]
        if len(ended) < len(mine) or not any(s.success != "unknown" or s.score_scaled is not None for s in ended):
            return
        passed = all(s.is_done for s in ended)
    scores = [s.score_scaled for s in ended if s.score_scaled is not None]
    score = round(sum(scores) / len(scores), 4) if scores else None
    records.lesson_result_record(
        rep=rep,
        lesson=lesson,
        passed=passed,
        score_scaled=score,
        statement_id=uuid.uuid5(state.registration, f"{session_id}:lesson:{passed}:{score}"),
        registration=state.registration,
    )


def resume_data(*, state: ScoState | None, sco: Sco, rep: "User") -> dict[str, Any]:
    """The data model a launch starts from (scorm-again's loadFromJSON): the rep, and where they left off."""
    name = (rep.get_full_name() if hasattr(rep, "get_full_name") else "") or str(rep)
    resuming = state is not None and state.exit == "suspend"
    total = state.total_seconds + (state.session_seconds if state and state.session_started_at else 0) if state else 0
    score = {}
    if state is not None and state.score_raw is not None:
        score = {"raw": _fmt(state.score_raw), "min": _fmt(state.score_min), "max": _fmt(state.score_max)}
    if sco.package.standard == Standard.SCORM12:
        status = "not attempted"
        if state is not None:
            status = state.success if state.success in ("passed", "failed") else state.completion
            status = status if status in ("passed", "failed", "completed", "incomplete") else "not attempted"
        return {
            "core": {
                "student_id": str(rep.public_id),
                "student_name": name,
                "lesson_location": state.location if state else "",
                "lesson_status": status,
                "entry": "resume" if resuming else ("" if state else "ab-initio"),
                "total_time": _hhmmss(total),
                "credit": "credit",
                "score": {k: v for k, v in score.items() if v != ""},
            },
            "suspend_data": state.suspend_data if resuming and state else "",
            "launch_data": sco.launch_data,
            "student_data": {"mastery_score": _fmt(sco.mastery_score)},
        }
    data: dict[str, Any] = {
        "learner_id": str(rep.public_id),
        "learner_name": name,
        "location": state.location if state and resuming else "",
        "entry": "resume" if resuming else ("" if state else "ab-initio"),
        "completion_status": state.completion if state and state.completion != "not attempted" else "unknown",
        "success_status": state.success if state else "unknown",
        "total_time": records.format_duration(total),
        "suspend_data": state.suspend_data if resuming and state else "",
        "launch_data": sco.launch_data,
        "credit": "credit",
    }
    if state is not None and state.score_scaled is not None:
        score["scaled"] = _fmt(state.score_scaled)
    if score:
        data["score"] = {k: v for k, v in score.items() if v != ""}
    if sco.mastery_score is not None:
        data["scaled_passing_score"] = _fmt(sco.mastery_score / 100)
    return data


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _hhmmss(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:04d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
