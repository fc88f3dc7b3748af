"""Statements the player and integrations send about a lesson: checked, then recorded through the services.

The actor and object always come from the server; the verb picks the service (launch, time, video, completion).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.orgs.access import Role, has_role

from . import vocab
from .selectors import course_progress_for, lesson_progress_for, statement_owner_id
from .services import (
    NotALearner,
    StatementError,
    late_event_timestamp,
    lesson_complete,
    lesson_launch,
    parse_duration,
    video_progress_record,
    video_statement_record,
)
from .time_reports import lesson_time_record

VERB_LAUNCHED = vocab.LAUNCHED.iri
VERB_PROGRESSED = vocab.PROGRESSED.iri
VERB_COMPLETED = vocab.COMPLETED.iri
ACCEPTED_VERBS = (VERB_LAUNCHED, VERB_PROGRESSED, VERB_COMPLETED, *(t.iri for t in vocab.VIDEO_PLAYER_VERBS))


@dataclass
class StatementOutcome:
    id: uuid.UUID
    stored: bool
    progress: float
    completed: bool
    position_seconds: float
    course_percent: int
    course_completed: bool


def _number(extensions: dict[str, Any], iri: str, label: str) -> float:
    value = extensions.get(iri)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StatementError(
            _("result.extensions needs a number for %(name)s (%(iri)s).") % {"name": label, "iri": iri}
        )
    return float(value)


def _duration(result: dict[str, Any]) -> float:
    text = result.get("duration")
    if not isinstance(text, str) or not text:
        raise StatementError(_("result.duration is required, as an ISO 8601 duration such as PT12S."))
    return parse_duration(text)


def _segments(extensions: dict[str, Any], *, required: bool) -> str | None:
    if vocab.EXT_PLAYED_SEGMENTS not in extensions and not required:
        return None
    segments = extensions.get(vocab.EXT_PLAYED_SEGMENTS)
    if not isinstance(segments, str):
        raise StatementError(_("played-segments must be text such as 0[.]12.5[,]30[.]45."))
    return segments


def _video_record(
    *,
    rep: Any,
    lesson: Any,
    statement_id: uuid.UUID,
    verb: vocab.Term,
    result: dict,
    context: dict,
    timestamp: datetime | None = None,
) -> None:
    """A Video Profile statement of the player: its result and context extensions where the profile puts them."""
    extensions = result.get("extensions") or {}
    context_ext = context.get("extensions") or {}
    length = context_ext.get(vocab.EXT_LENGTH)
    reports = verb.iri in vocab.VIDEO_REPORT_VERBS
    time_from = None
    if verb == vocab.VIDEO_SEEKED:
        time_from = _number(extensions, vocab.EXT_TIME_FROM, "time-from")
        time = _number(extensions, vocab.EXT_TIME_TO, "time-to")
    elif verb == vocab.INITIALIZED:
        time = None
    else:
        time = _number(extensions, vocab.EXT_TIME, "time")
    video_statement_record(
        rep=rep,
        lesson=lesson,
        verb=verb,
        time=time,
        time_from=time_from,
        segments=_segments(extensions, required=verb in (vocab.VIDEO_PAUSED, vocab.TERMINATED)),
        length=_number(context_ext, vocab.EXT_LENGTH, "length") if length is not None else None,
        seconds=_duration(result) if reports and result.get("duration") is not None else None,
        session_id=str(context_ext.get(vocab.EXT_SESSION_ID) or ""),
        statement_id=statement_id,
        timestamp=timestamp,
    )


_VIDEO_VERBS = {term.iri: term for term in vocab.VIDEO_PLAYER_VERBS}


def _record(
    *,
    rep: Any,
    lesson: Any,
    statement_id: uuid.UUID,
    verb: str,
    result: dict,
    context: dict,
    timestamp: datetime | None,
) -> bool:
    """Call the service the verb stands for; return whether a statement was stored."""
    if verb == VERB_LAUNCHED:
        lesson_launch(rep=rep, lesson=lesson, statement_id=statement_id, timestamp=timestamp)
    elif verb == VERB_PROGRESSED:
        extensions = result.get("extensions") or {}
        seconds = _duration(result)
        segments = _segments(extensions, required=False)
        if segments is not None:  # the played segments of a player from before the Video Profile's verbs
            session_id = (context.get("extensions") or {}).get(vocab.EXT_SESSION_ID, "")
            video_progress_record(
                rep=rep,
                lesson=lesson,
                segments=segments,
                time=_number(extensions, vocab.EXT_TIME, "time"),
                length=_number(extensions, vocab.EXT_LENGTH, "length"),
                seconds=seconds,
                statement_id=statement_id,
                session_id=str(session_id or ""),
                timestamp=timestamp,
            )
        else:
            lesson_time_record(rep=rep, lesson=lesson, seconds=seconds, statement_id=statement_id, timestamp=timestamp)
    elif verb in _VIDEO_VERBS:
        _video_record(
            rep=rep,
            lesson=lesson,
            statement_id=statement_id,
            verb=_VIDEO_VERBS[verb],
            result=result,
            context=context,
            timestamp=timestamp,
        )
    elif verb == VERB_COMPLETED:
        # None: the lesson was already complete, so there was nothing to store.
        return lesson_complete(rep=rep, lesson=lesson, statement_id=statement_id, timestamp=timestamp) is not None
    else:
        raise StatementError(
            _(
                "This verb is not accepted here. Use launched, progressed or completed, or for a video the Video "
                "Profile's initialized, played, paused, seeked or terminated (%(verbs)s)."
            )
            % {"verbs": ", ".join(ACCEPTED_VERBS)}
        )
    return True


def lesson_statement_submit(
    *,
    user: Any,
    lesson: Any,
    statement_id: uuid.UUID,
    verb: str,
    result: dict | None,
    context: dict | None,
    timestamp: datetime | None = None,
) -> StatementOutcome:
    """Record a statement the player or an integration sent about a lesson, for the user who sent it.

    The actor and object always come from the server. A repeated id is answered again
    without being counted twice. ``timestamp``: when it happened, for a statement sent late (a phone's
    offline queue); checked by ``late_event_timestamp``, else now.
    """
    if not has_role(user, Role.REP):
        raise NotALearner
    timestamp = late_event_timestamp(timestamp)
    owner_id = statement_owner_id(statement_id)
    if owner_id is not None and owner_id != user.pk:
        raise StatementError(_("This statement id is already used. Make a new UUID for each statement."))
    stored = False
    if owner_id is None:
        with transaction.atomic():
            stored = _record(
                rep=user,
                lesson=lesson,
                statement_id=statement_id,
                verb=verb,
                result=result or {},
                context=context or {},
                timestamp=timestamp,
            )
    lp = lesson_progress_for(user=user, lesson=lesson)
    cp = course_progress_for(user=user, course_id=lesson.version.course_id)
    return StatementOutcome(
        id=statement_id,
        stored=stored,
        progress=lp.progress if lp else 0.0,
        completed=bool(lp and lp.completed_at),
        position_seconds=lp.position_seconds if lp else 0.0,
        course_percent=cp.percent if cp else 0,
        course_completed=bool(cp and cp.completed_at),
    )
