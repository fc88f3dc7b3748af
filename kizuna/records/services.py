"""Writes of learning events. Every event goes through statement_record, which stores it and updates the projections."""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError
from kizuna.ops.repcache import rep_changed
from kizuna.orgs.access import membership_of

from . import vocab
from .content import content_source
from .models import CourseProgress, LessonProgress, PendingStatement, Statement, StatementKey
from .projections import UNREAD, apply_deferred, apply_live_all, lesson_progress_locked, reps_hold
from .segments import covered_seconds, format_segments, merge_segments, parse_segments
from .selectors import statement_by_id

if TYPE_CHECKING:
    from kizuna.accounts.models import User


class StatementError(ApplicationError):
    """A statement that cannot be accepted; the message is safe to show to the user."""

    code = "statement-rejected"


class StatementTooLarge(StatementError):
    """A statement bigger than any the player makes (a phone's offline queue sends them one by one)."""

    code = "too-large"
    status = 413


class NotALearner(ApplicationError):
    """Someone who is not a rep tried to record learning."""

    code = "not-a-learner"
    status = 403


@dataclass(frozen=True)
class Activity:
    iri: str
    type: vocab.Term
    name: dict[str, str]
    course_id: int | None = None
    course_version_id: int | None = None
    lesson_id: int | None = None
    parents: list[str] = field(default_factory=list)
    # contextActivities.category: the profiles the statement follows (the xAPI Video Profile's activity).
    categories: list[str] = field(default_factory=list)
    # More of the activity's xAPI definition, e.g. interactionType, choices, correctResponsesPattern.
    definition: dict[str, Any] = field(default_factory=dict)


# One progress report of a lesson page or video covers at most this much time since the previous one.
MAX_REPORT_SECONDS = 3600

# A statement the player sends late (kept on a phone while offline) keeps its own timestamp if it is at most
# this old; a phone's clock may run this far ahead of ours. The player's statements are a few hundred bytes.
LATE_EVENT_MAX_AGE = timedelta(days=14)
CLOCK_SKEW = timedelta(minutes=5)
MAX_STATEMENT_BYTES = 16 * 1024

_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> float:
    """Parse an ISO 8601 duration such as PT3M12S into seconds."""
    match = _DURATION.match(text or "")
    if not match or text in ("P", "PT"):
        raise StatementError(_("result.duration must be an ISO 8601 duration such as PT3M12S"))
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]


def late_event_timestamp(timestamp: datetime | None) -> datetime | None:
    """Return when a browser says an event happened, if we can believe it: with a time zone, not in the future
    beyond a phone's clock drift, and not older than ``LATE_EVENT_MAX_AGE`` (an offline phone's queue)."""
    if timestamp is None:
        return None
    if timezone.is_naive(timestamp):
        raise StatementError(_("timestamp needs a time zone, such as 2026-12-06T09:30:00+09:00."), field="timestamp")
    now = timezone.now()
    if timestamp > now + CLOCK_SKEW:
        raise StatementError(_("timestamp is in the future: check the phone's clock."), field="timestamp")
    if timestamp < now - LATE_EVENT_MAX_AGE:
        raise StatementError(
            _("This event happened more than %(days)s days ago and can no longer be recorded.")
            % {"days": LATE_EVENT_MAX_AGE.days},
            field="timestamp",
        )
    return timestamp


def late_event_at(raw: str, *, unreadable: str = "") -> datetime | None:
    """When a phone says something it kept offline happened (a form's ``at``, ISO 8601), checked as
    ``late_event_timestamp`` checks it; None when the form has no ``at`` (done online, timed by the server).
    ``unreadable`` is the caller's own words for an ``at`` that is not a time."""
    if not raw:
        return None
    try:
        parsed = parse_datetime(raw[:40])
    except ValueError:
        parsed = None
    if parsed is None:
        raise StatementError(unreadable or _("The time this happened could not be read."), field="at")
    return late_event_timestamp(parsed)


def format_duration(seconds: float) -> str:
    return f"PT{round(seconds, 2):g}S"


def xapi_pruned(value: Any, *, in_extension: bool = False) -> Any:
    """Return a statement part without what xAPI 1.0.3 forbids: no null value anywhere, and outside extensions
    no empty object, list or string (an extension's own value may be an empty list or object)."""
    if isinstance(value, dict):
        pruned = {}
        for key, item in value.items():
            if item is None:
                continue
            item = xapi_pruned(item, in_extension=in_extension or key == "extensions")
            if not in_extension and item in ({}, [], ""):
                continue
            pruned[key] = item
        return pruned
    if isinstance(value, list):
        return [xapi_pruned(item, in_extension=in_extension) for item in value if item is not None]
    return value


def kizuna_authority() -> dict[str, Any]:
    """The authority of every statement Kizuna makes itself: the platform, as an Agent of this deployment."""
    return {
        "objectType": "Agent",
        "name": "Kizuna",
        "account": {"homePage": settings.SITE_URL, "name": "kizuna"},
    }


def _profile_activity(iri: str) -> dict[str, Any]:
    return {"objectType": "Activity", "id": iri, "definition": {"type": vocab.TYPE_PROFILE.iri}}


def statement_build(
    *,
    actor: "User",
    verb: vocab.Term,
    activity: Activity,
    result: dict[str, Any] | None = None,
    extensions: dict[str, Any] | None = None,
    statement_id: uuid.UUID | None = None,
    timestamp: datetime | None = None,
    registration: uuid.UUID | None = None,
    counted: bool = True,
) -> Statement:
    """The statement statement_record stores (not saved), in the shape every stored statement has."""
    statement_id = statement_id or uuid.uuid4()
    if statement_id.variant != uuid.RFC_4122 or (registration and registration.variant != uuid.RFC_4122):
        raise StatementError(_("Statement ids and registrations must be RFC 4122 UUIDs (such as version 4)."))
    membership = membership_of(actor)
    partner_id = None
    if membership is not None and not membership.organization.is_principal:
        partner_id = membership.organization_id
    context_extensions = dict(extensions or {})
    if partner_id:
        context_extensions[vocab.EXT_PARTNER.iri] = partner_id
    if activity.course_version_id:
        context_extensions[vocab.EXT_COURSE_VERSION.iri] = activity.course_version_id
    context_activities: dict[str, Any] = {}
    if activity.parents:
        context_activities["parent"] = [{"id": iri} for iri in activity.parents]
    if activity.categories:
        context_activities["category"] = [_profile_activity(iri) for iri in activity.categories]
    # Stored as xAPI 1.0.3 allows: no null value anywhere, no empty object or list outside extensions.
    context = xapi_pruned(
        {
            "registration": str(registration) if registration else None,
            "contextActivities": context_activities,
            # xAPI: platform (and revision) only when the object is an Activity, not a StatementRef.
            "platform": None if activity.type == vocab.TYPE_STATEMENT_REF else "Kizuna",
            "language": actor.language or settings.LANGUAGE_CODE,
            "extensions": context_extensions,
        }
    )
    result = xapi_pruned(result) if result else None
    duration = None
    if result and "duration" in result:
        duration = parse_duration(result["duration"])
        if not counted:
            duration = None
    return Statement(
        id=statement_id,
        actor=actor,
        partner_id=partner_id,
        verb=verb.iri,
        object_iri=activity.iri,
        object_type=activity.type.iri,
        object_name=activity.name,
        object_definition=activity.definition,
        course_id=activity.course_id,
        course_version_id=activity.course_version_id,
        lesson_id=activity.lesson_id,
        result=result or None,
        context=context,
        duration_seconds=duration,
        timestamp=timestamp or timezone.now(),
        stored=timezone.now(),
    )


def statement_record(
    *,
    actor: "User",
    verb: vocab.Term,
    activity: Activity,
    result: dict[str, Any] | None = None,
    extensions: dict[str, Any] | None = None,
    statement_id: uuid.UUID | None = None,
    timestamp: datetime | None = None,
    registration: uuid.UUID | None = None,
    locked_progress: LessonProgress | None = UNREAD,
    counted: bool = True,
) -> tuple[Statement, bool]:
    """Store one statement and update the projections; a repeated id returns the stored one unchanged.

    The rep's own progress and the live app projections are updated in the same transaction; the rest
    (learning days, points, certifications, rollups…) by the background projector a moment later, or at once
    when ``PROJECTIONS_EAGER`` is set. ``locked_progress`` is the rep's progress row in the lesson that the
    caller already read with a lock in its transaction (None when the rep has none yet). ``counted=False``:
    the statement's ``result.duration`` is a total already counted by earlier statements, not time spent now.
    """
    statement = statement_build(
        actor=actor,
        verb=verb,
        activity=activity,
        result=result,
        extensions=extensions,
        statement_id=statement_id,
        timestamp=timestamp,
        registration=registration,
        counted=counted,
    )
    statement_id = statement.id
    # No savepoint (they cost two queries): an error inside fails the caller's whole transaction, so nothing
    # that a caller may catch and go on from is raised inside this block.
    with transaction.atomic(savepoint=False):
        reps_hold(actor.pk)  # first: a rebuild of this rep under way ends before anything of theirs is read
        stored = _insert_once(statement)
        if stored:
            apply_live_all(statement, locked_progress=locked_progress)
            if settings.PROJECTIONS_EAGER or _eager.get():
                apply_deferred([statement])
            else:
                PendingStatement.objects.create(seq=statement.seq, stored=statement.stored)
            rep_changed(actor.pk)
    if stored:
        return statement, True
    # The id is stored already (a retry, or the same statement sent twice at once).
    existing = statement_by_id(statement_id)
    if existing is None and StatementKey.objects.filter(id=statement_id).exists():
        # Its month was archived (statements_detach): the id stays taken, and the sender is told so.
        raise StatementError(_("This statement was stored long ago and has been archived; it is not stored again."))
    if existing is None:  # SQLite's OR IGNORE also skips NOT NULL/CHECK failures: never silently
        raise IntegrityError(f"statement {statement_id} was not stored")
    if existing.actor_id != actor.pk:
        raise StatementError(_("This statement id is already used."))
    return existing, False


_eager: ContextVar[bool] = ContextVar("kizuna_projections_eager", default=False)


@contextmanager
def projections_eager() -> Iterator[None]:
    """Apply every projection with each statement inside this block (a loader that reads them as it goes)."""
    token = _eager.set(True)
    try:
        yield
    finally:
        _eager.reset(token)


_STATEMENT_FIELDS = [f for f in Statement._meta.concrete_fields if f.name != "seq"]


def _insert_once(statement: Statement) -> bool:
    """INSERT … ON CONFLICT DO NOTHING RETURNING seq: one query that stores the statement unless its id is known."""
    rows = Statement._base_manager._insert(  # type: ignore[attr-defined]
        [statement],
        fields=_STATEMENT_FIELDS,
        returning_fields=[Statement._meta.pk],
        on_conflict=OnConflict.IGNORE,
    )
    if not rows or rows[0] is None:
        return False
    statement.seq = rows[0][0]
    statement._state.adding = False
    return True


def statement_void(
    *, actor: "User", statement_id: uuid.UUID, void_id: uuid.UUID | None = None, timestamp: datetime | None = None
) -> Statement:
    """Withdraw a statement: record a `voided` statement pointing at it (once; readers honour it)."""
    st, _created = statement_record(
        actor=actor,
        verb=vocab.VOIDED,
        activity=Activity(iri=str(statement_id), type=vocab.TYPE_STATEMENT_REF, name={}),
        statement_id=void_id or uuid.uuid5(statement_id, "voided"),
        timestamp=timestamp,
    )
    return st


def _xapi_object(st: Statement) -> dict[str, Any]:
    if st.object_type == "StatementRef":  # a voiding statement points at the statement it withdraws
        return {"objectType": "StatementRef", "id": st.object_iri.rsplit("/", 1)[-1]}
    return {
        "objectType": "Activity",
        "id": st.object_iri,
        "definition": {**st.object_definition, "type": st.object_type, "name": st.object_name},
    }


def statement_to_xapi(st: Statement) -> dict[str, Any]:
    """Return the statement as valid xAPI 1.0.3 JSON, with Kizuna as its authority.

    Statements stored before the shape was tightened (an empty ``parent`` or ``extensions``, a null extension
    value) are served pruned, so every statement we serve validates whatever its age.
    """
    verb_term = vocab.verb_for(st.verb)
    verb: dict[str, Any] = {"id": st.verb}
    if verb_term:
        verb["display"] = verb_term.display
    data: dict[str, Any] = {
        "id": str(st.id),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": settings.SITE_URL, "name": str(st.actor.public_id)},
        },
        "verb": verb,
        "object": _xapi_object(st),
    }
    if st.result:
        data["result"] = st.result
    data["context"] = st.context
    data = xapi_pruned(data)
    if st.object_type == "StatementRef":  # xAPI: platform and revision only when the object is an Activity
        data.get("context", {}).pop("platform", None)
    data.update(
        timestamp=st.timestamp.isoformat(),
        stored=st.stored.isoformat(),
        authority=kizuna_authority(),
        version="1.0.3",
    )
    return data


# --- Learner events -------------------------------------------------------------------------


def _lesson_activity(lesson: Any) -> Activity:
    return Activity(**content_source().lesson_activity(lesson))


def _course_activity(version: Any) -> Activity:
    return Activity(**content_source().course_activity(version))


def lesson_launch(
    *, rep: "User", lesson: Any, statement_id: uuid.UUID | None = None, timestamp: datetime | None = None
) -> Statement:
    """Record that the rep opened a lesson."""
    st, _created = statement_record(
        actor=rep,
        verb=vocab.LAUNCHED,
        activity=_lesson_activity(lesson),
        statement_id=statement_id,
        timestamp=timestamp,
    )
    return st


def lesson_result_record(
    *,
    rep: "User",
    lesson: Any,
    passed: bool,
    score_scaled: float | None,
    statement_id: uuid.UUID,
    registration: uuid.UUID | None = None,
    timestamp: datetime | None = None,
) -> Statement:
    """Record a scored lesson's result: ``passed``/``failed`` on the lesson itself, with its scaled score.

    A lesson whose content scores the rep (a SCORM package, a cmi5 course) records its overall result here, so
    whatever reads lesson results (a certification's minimum score) reads every such kind the same way. The
    content app derives ``statement_id`` from what happened, so a repeated result is recorded once.
    """
    result: dict[str, Any] = {"success": passed}
    if score_scaled is not None:
        result["score"] = {"scaled": round(max(-1.0, min(1.0, float(score_scaled))), 4)}
    st, _created = statement_record(
        actor=rep,
        verb=vocab.PASSED if passed else vocab.FAILED,
        activity=_lesson_activity(lesson),
        result=result,
        statement_id=statement_id,
        registration=registration,
        timestamp=timestamp,
    )
    return st


def course_complete(
    *, rep: "User", version: Any, statement_id: uuid.UUID | None = None, timestamp: datetime | None = None
) -> Statement | None:
    """Record that the rep finished a course as a whole (another system says so); None if it is finished already.

    The course's `completed` finishes it for whatever reads course completion (assignments, a certification's
    course requirement, the course's points) on the version the rep started, else ``version``; its lessons are
    left as they were, since nothing says which of them were done here.
    """
    with transaction.atomic(savepoint=False):
        reps_hold(rep.pk)
        cp = (
            CourseProgress.objects.select_for_update(no_key=True)
            .select_related("version__course")
            .filter(user=rep, course_id=version.course_id)
            .first()
        )
        if cp is not None and cp.completed_at is not None:
            return None
        st, _created = statement_record(
            actor=rep,
            verb=vocab.COMPLETED,
            activity=_course_activity(cp.version if cp is not None else version),
            result={"completion": True},
            statement_id=statement_id,
            timestamp=timestamp,
        )
    return st


def _video_activity(lesson: Any) -> Activity:
    """The lesson's video as the xAPI Video Profile's activity, with the profile as its category.

    A video lesson is its video (the catalog types it so); the video of another kind of lesson (a micro
    lesson's) is an activity of its own inside the lesson.
    """
    activity = _lesson_activity(lesson)
    if activity.type != vocab.TYPE_VIDEO:
        activity = replace(
            activity, iri=f"{activity.iri}#video", type=vocab.TYPE_VIDEO, parents=[activity.iri, *activity.parents]
        )
    return replace(activity, categories=[vocab.VIDEO_PROFILE])


def _session(session_id: str, *, lenient: bool = False) -> str:
    """The Video Profile's session-id, an RFC 4122 UUID (an old player's other text is dropped: ``lenient``)."""
    if not session_id:
        return ""
    try:
        parsed = uuid.UUID(str(session_id))
    except ValueError:
        parsed = None
    if parsed is None or parsed.variant != uuid.RFC_4122:
        if lenient:
            return ""
        raise StatementError(_("The video session-id must be an RFC 4122 UUID."))
    return str(parsed)


def _position(value: float | None, length: float) -> float | None:
    return None if value is None else round(min(max(float(value), 0.0), length), 3)


def video_statement_record(
    *,
    rep: "User",
    lesson: Any,
    verb: vocab.Term,
    time: float | None = None,
    time_from: float | None = None,
    segments: str | None = None,
    length: float | None = None,
    seconds: float | None = None,
    session_id: str = "",
    statement_id: uuid.UUID | None = None,
    timestamp: datetime | None = None,
) -> Statement:
    """Record one statement of the lesson's video player, shaped by the xAPI Video Profile.

    ``initialized`` (the player is ready), ``played`` (at ``time``), ``paused`` and ``terminated`` (at ``time``),
    ``seeked`` (from ``time_from`` to ``time``). ``segments`` are the parts played in this player session
    ("0[.]12.5[,]30[.]45"), ``seconds`` the time spent playing since the player's previous statement. The
    server sets the length, the completion threshold and the progress (the share of the video the rep has
    watched over all sessions), and completes a video lesson once the segments cover 90% of it. The old
    player's ``progressed`` reports (segments since the previous report) are still accepted.
    """
    real_length = float(lesson.video.duration_seconds or 0) if lesson.video_id else 0.0
    if real_length <= 0:
        raise StatementError(_("This lesson has no video ready to watch."))
    # The server knows the video's real length; the player's figure is only accepted if it agrees.
    if length is not None and abs(length - real_length) > max(2.0, real_length * 0.05):
        raise StatementError(_("The reported video length does not match the video."))
    legacy = verb == vocab.PROGRESSED
    # One report covers at most an hour, and never more than the whole video played at a quarter of its speed.
    longest = MAX_REPORT_SECONDS if legacy else min(MAX_REPORT_SECONDS, real_length * 4 + 60)
    if seconds is not None and not 0 <= seconds <= longest:
        raise StatementError(_("The reported time is out of range."))
    played: list[tuple[float, float]] | None = None
    if segments is not None:
        try:
            parsed = merge_segments(parse_segments(segments), gap=0)
        except ValueError:
            raise StatementError(_("played-segments is malformed.")) from None
        played = [(max(0.0, s), min(real_length, e)) for s, e in parsed if s < real_length]
        if legacy and sum(e - s for s, e in played) > (seconds or 0) * 2.5 + 3:
            # More video than wall-clock time allows even at double speed: a seek reported as playback.
            raise StatementError(_("The reported segments are longer than the time spent watching."))
    with transaction.atomic(savepoint=False):
        outcome = _video_statement_store(
            rep=rep,
            lesson=lesson,
            verb=verb,
            played=played,
            time=_position(time, real_length),
            time_from=_position(time_from, real_length),
            real_length=real_length,
            seconds=seconds,
            session_id=_session(session_id, lenient=legacy),
            statement_id=statement_id,
            timestamp=timestamp,
        )
    if isinstance(outcome, StatementError):
        raise outcome
    return outcome


def _video_statement_store(
    *,
    rep: "User",
    lesson: Any,
    verb: vocab.Term,
    played: list[tuple[float, float]] | None,
    time: float | None,
    time_from: float | None,
    real_length: float,
    seconds: float | None,
    session_id: str,
    statement_id: uuid.UUID | None,
    timestamp: datetime | None,
) -> Statement | StatementError:
    # The share watched once these segments count, by the projection's own rule; it goes into the statement.
    # The row stays locked, so a concurrent report of the same rep cannot slip in between.
    lp = lesson_progress_locked(user_id=rep.pk, lesson_id=lesson.pk)
    earlier, completed_at = (lp.played_segments, lp.completed_at) if lp is not None else ([], None)
    before = merge_segments([tuple(x) for x in earlier])
    watched = merge_segments(before + (played or []))
    progress = round(min(1.0, covered_seconds(watched, length=real_length) / real_length), 4)
    if played is not None and verb != vocab.PROGRESSED:
        # The segments are the whole session's: what they add to what was watched must fit the time spent.
        gained = covered_seconds(watched, length=real_length) - covered_seconds(before, length=real_length)
        if gained > (seconds or 0) * 2.5 + 3:
            return StatementError(_("The reported segments are longer than the time spent watching."))
    result_ext: dict[str, Any] = {}
    if verb == vocab.VIDEO_SEEKED:
        result_ext[vocab.EXT_TIME_FROM] = time_from if time_from is not None else time
        result_ext[vocab.EXT_TIME_TO] = time
    elif verb != vocab.INITIALIZED:
        result_ext[vocab.EXT_TIME] = time
    if played is not None:
        result_ext[vocab.EXT_PLAYED_SEGMENTS] = format_segments(played)
    if verb.iri in vocab.VIDEO_REPORT_VERBS:
        result_ext[vocab.EXT_PROGRESS] = progress
    context_ext: dict[str, Any] = {vocab.EXT_LENGTH: real_length}
    if verb != vocab.VIDEO_PLAYED:
        context_ext[vocab.EXT_COMPLETION_THRESHOLD] = vocab.VIDEO_COMPLETION_THRESHOLD
    if session_id:
        context_ext[vocab.EXT_SESSION_ID] = session_id
    result: dict[str, Any] = {"extensions": result_ext}
    if seconds is not None and (seconds > 0 or verb == vocab.PROGRESSED):
        result["duration"] = format_duration(seconds)
    st, created = statement_record(
        actor=rep,
        verb=verb,
        activity=_video_activity(lesson),
        result=result,
        extensions=context_ext,
        statement_id=statement_id,
        timestamp=timestamp,
        locked_progress=lp,
    )
    # A video lesson is its video; a micro lesson is completed by its check questions (catalog.kinds).
    if created and lesson.kind == "video" and completed_at is None and progress >= vocab.VIDEO_COMPLETION_THRESHOLD:
        lesson_complete(rep=rep, lesson=lesson, timestamp=timestamp, session_id=session_id)
    return st


def video_progress_record(
    *,
    rep: "User",
    lesson: Any,
    segments: str,
    time: float,
    length: float,
    seconds: float,
    statement_id: uuid.UUID | None = None,
    session_id: str = "",
    timestamp: datetime | None = None,
) -> Statement:
    """Record an old player's ``progressed`` report: the segments played since its previous report."""
    return video_statement_record(
        rep=rep,
        lesson=lesson,
        verb=vocab.PROGRESSED,
        segments=segments,
        time=time,
        length=length,
        seconds=seconds,
        session_id=session_id,
        statement_id=statement_id,
        timestamp=timestamp,
    )


def lesson_complete(
    *,
    rep: "User",
    lesson: Any,
    statement_id: uuid.UUID | None = None,
    timestamp: datetime | None = None,
    by_content: bool = False,
    session_id: str = "",
) -> Statement | None:
    """Mark a lesson complete, then the course if it was the last.

    An article is completed by the rep, a video once 90% of it was watched, and a lesson whose content another
    app owns (micro lesson, quiz, scenario) only by that app, which passes ``by_content=True``. A video lesson's
    completion is the Video Profile's ``completed`` (``session_id``: the player session that reached 90%).
    """
    with transaction.atomic(savepoint=False):
        outcome = _lesson_complete_store(
            rep=rep,
            lesson=lesson,
            statement_id=statement_id,
            timestamp=timestamp,
            by_content=by_content,
            session_id=session_id,
        )
    # Raised outside the savepoint-free block, so a caller that catches it can go on with its transaction.
    if isinstance(outcome, StatementError):
        raise outcome
    return outcome


def _lesson_complete_store(
    *,
    rep: "User",
    lesson: Any,
    statement_id: uuid.UUID | None,
    timestamp: datetime | None,
    by_content: bool,
    session_id: str,
) -> Statement | StatementError | None:
    lp = lesson_progress_locked(user_id=rep.pk, lesson_id=lesson.pk)
    if lp is not None and lp.completed_at is not None:
        return None
    if lesson.kind not in ("article", "video") and not by_content:
        return StatementError(_("This lesson is completed by passing it, not by marking it done."))
    if lesson.kind == "video" and (lp is None or lp.progress < vocab.VIDEO_COMPLETION_THRESHOLD):
        return StatementError(
            _("Watch at least %(percent)s%% of the video to complete this lesson.")
            % {"percent": round(vocab.VIDEO_COMPLETION_THRESHOLD * 100)}
        )
    if lesson.kind == "video" and lp is not None:
        st = _video_completed_store(
            rep=rep, lesson=lesson, lp=lp, statement_id=statement_id, timestamp=timestamp, session_id=session_id
        )
    else:
        st, _created = statement_record(
            actor=rep,
            verb=vocab.COMPLETED,
            activity=_lesson_activity(lesson),
            result={"completion": True},
            statement_id=statement_id,
            timestamp=timestamp,
            locked_progress=lp,
        )
    cp = CourseProgress.objects.select_related("version").get(user=rep, course_id=lesson.version.course_id)
    if cp.completed_at is None and cp.lessons_total and cp.lessons_completed >= cp.lessons_total:
        statement_record(
            actor=rep,
            verb=vocab.COMPLETED,
            activity=_course_activity(cp.version),
            result={"completion": True},
            timestamp=timestamp,
        )
    return st


def _video_completed_store(
    *,
    rep: "User",
    lesson: Any,
    lp: LessonProgress,
    statement_id: uuid.UUID | None,
    timestamp: datetime | None,
    session_id: str,
) -> Statement:
    """The Video Profile's ``completed``: where the rep is, what they watched over all sessions, the time spent.

    Its ``result.duration`` is the whole time spent in the video (the profile's rule), already counted by the
    reports before it, so it is not counted again (``counted=False``).
    """
    length = float(lesson.video.duration_seconds or 0) if lesson.video_id else 0.0
    context_ext: dict[str, Any] = {
        vocab.EXT_LENGTH: length,
        vocab.EXT_COMPLETION_THRESHOLD: vocab.VIDEO_COMPLETION_THRESHOLD,
    }
    if session_id:
        context_ext[vocab.EXT_SESSION_ID] = session_id
    st, _created = statement_record(
        actor=rep,
        verb=vocab.COMPLETED,
        activity=_video_activity(lesson),
        result={
            "completion": True,
            "duration": format_duration(lp.time_spent_seconds),
            "extensions": {
                vocab.EXT_TIME: round(lp.position_seconds, 3),
                vocab.EXT_PROGRESS: lp.progress,
                vocab.EXT_PLAYED_SEGMENTS: format_segments([(s, e) for s, e in lp.played_segments]),
            },
        },
        extensions=context_ext,
        statement_id=statement_id,
        timestamp=timestamp,
        locked_progress=lp,
        counted=False,
    )
    return st
