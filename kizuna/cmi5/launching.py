"""Launching cmi5 AUs and keeping the cmi5 rules (the LMS side of the cmi5 specification).

A launch makes (once) the rep's registration in the course, abandons a session of it still open, makes a new
session with a one-time fetch URL, writes LMS.LaunchData in the State API and the `launched` statement, and
returns the launch URL (endpoint, fetch, actor, registration, activityId). The AU POSTs to the fetch URL once
for its auth-token (HTTP Basic credentials of a session grant, kizuna.lrs.grants); with it the LRS takes only
this session's statements, which pass through ``_store_through``: the cmi5-defined statements are checked
against the rules of the specification (section 9) for the session and the registration and refused (403) when
they break one; after they are stored, the AU's status is updated, moveOn is evaluated and the LMS issues
`satisfied` for blocks and the course. A satisfied course completes the Kizuna lesson (records).
"""

import base64
import hmac
import json
import logging
import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.lrs.grants import GRANT_PREFIX, SessionGrant
from kizuna.lrs.http import XapiError
from kizuna.lrs.lms import (
    lms_credential_for,
    lms_learner_preferences_put,
    lms_state_put,
    lms_statements_store,
    lms_statements_stored,
)
from kizuna.lrs.statements import agent_key, format_time
from kizuna.ops.errors import ApplicationError
from kizuna.ops.tokens import token_hash
from kizuna.packages.vocab import TYPE_INTERACTION
from kizuna.records import services as records
from kizuna.records import time_reports
from kizuna.records import vocab as records_vocab
from kizuna.records.content import content_source

from .models import Au, AuStatus, Course, LaunchMode, MoveOn, Registration, Session

if TYPE_CHECKING:
    from kizuna.accounts.models import User

logger = logging.getLogger(__name__)

ADL = "http://adlnet.gov/expapi/verbs/"
ADL_W3ID = "https://w3id.org/xapi/adl/verbs/"
VERBS = {
    "launched": ADL + "launched",
    "initialized": ADL + "initialized",
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "terminated": ADL + "terminated",
    "abandoned": ADL_W3ID + "abandoned",
    "waived": ADL_W3ID + "waived",
    "satisfied": ADL_W3ID + "satisfied",
}
SHORT = {iri: name for name, iri in VERBS.items()}
AU_VERBS = ("initialized", "completed", "passed", "failed", "terminated")
CATEGORY_CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CATEGORY_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
EXT_SESSION = EXT + "sessionid"
EXT_PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"
EXT_REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"
TYPE_BLOCK = "https://w3id.org/xapi/cmi5/activitytype/block"
TYPE_COURSE = "https://w3id.org/xapi/cmi5/activitytype/course"
LAUNCH_DATA = "LMS.LaunchData"
# An auth-token is good for this long after the launch (and only until the session ends).
SESSION_MAX_AGE = timedelta(hours=24)
CREDENTIAL_NAME = "cmi5 (Kizuna LMS)"


class Cmi5Error(ApplicationError):
    """A launch or waiver refused; the message is shown to the user."""


# --- identifiers -------------------------------------------------------------------------------------------


def _base(course: Course) -> str:
    return f"{settings.SITE_URL}/xapi/cmi5/{course.key}"


def au_activity_id(au: Au) -> str:
    """The LMS's activity id of an AU (never the publisher's id; the same in every registration)."""
    return f"{_base(au.course)}/au/{au.position}"


def block_activity_id(block: Any) -> str:
    return f"{_base(block.course)}/block/{block.position}"


def course_activity_id(course: Course) -> str:
    return _base(course)


def actor_of(rep: "User") -> dict[str, Any]:
    """The learner as cmi5 wants it: an Agent with an account, no personal data (the opaque public id)."""
    return {"objectType": "Agent", "account": {"homePage": settings.SITE_URL, "name": str(rep.public_id)}}


def _credential(rep: "User") -> Any:
    return lms_credential_for(person=rep, name=CREDENTIAL_NAME, slug="cmi5")


def _context(
    *, registration: Registration, session_id: uuid.UUID, publisher_id: str, moveon: bool = False, **extensions: Any
) -> dict[str, Any]:
    category = [{"id": CATEGORY_CMI5, "objectType": "Activity"}]
    if moveon:
        category.append({"id": CATEGORY_MOVEON, "objectType": "Activity"})
    return {
        "registration": str(registration.registration),
        "contextActivities": {"grouping": [{"id": publisher_id, "objectType": "Activity"}], "category": category},
        "extensions": {EXT_SESSION: str(session_id), **extensions},
    }


def _statement(
    *,
    rep: "User",
    verb: str,
    obj: dict[str, Any],
    context: dict[str, Any],
    now: datetime,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    st: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor_of(rep),
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {"objectType": "Activity", **obj},
        "context": context,
        "timestamp": format_time(now),
    }
    if result:
        st["result"] = result
    return st


def _au_object(au: Au) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": {"ja-JP": au.title}}
    if au.activity_type:
        definition["type"] = au.activity_type
    return {"id": au_activity_id(au), "definition": definition}


def _seconds_iso(seconds: float) -> str:
    return records.format_duration(max(0.0, seconds))


# --- registration and launch -------------------------------------------------------------------------------


def _registration(*, rep: "User", course: Course, lesson: Any, now: datetime) -> Registration:
    registration = Registration.objects.select_for_update().filter(rep=rep, course=course).first()
    if registration is not None:
        if registration.lesson_id != lesson.pk:
            registration.lesson = lesson
            registration.save(update_fields=["lesson"])
        return registration
    registration = Registration.objects.create(rep=rep, course=course, lesson=lesson)
    # moveOn is evaluated at registration: AUs with NotApplicable may satisfy blocks and the course now.
    _evaluate(registration, session_id=uuid.uuid4(), now=now)
    return registration


def _abandon(session: Session, now: datetime) -> None:
    """Record `abandoned` for an open session (once), with its length: launch to its last statement."""
    registration = session.registration
    end = session.last_statement_at or session.launched_at
    st = _statement(
        rep=registration.rep,
        verb="abandoned",
        obj=_au_object(session.au),
        context=_context(
            registration=registration, session_id=session.session_id, publisher_id=session.au.publisher_id
        ),
        result={"duration": _seconds_iso((end - session.launched_at).total_seconds())},
        now=now,
    )
    lms_statements_store(credential=_credential(registration.rep), statements=[st])
    session.abandoned_at = now
    session.save(update_fields=["abandoned_at"])


def _abandon_open(registration: Registration, now: datetime) -> None:
    """A launch in a registration with an open session abandons it."""
    for session in (
        registration.sessions.select_for_update().select_related("au").filter(terminated_at=None, abandoned_at=None)
    ):
        session.registration = registration
        _abandon(session, now)


def cmi5_sessions_abandon_stale(*, now: datetime | None = None) -> int:
    """Abandon the sessions whose auth-token expired without a `terminated` (the AU was closed); return how many."""
    now = now or timezone.now()
    count = 0
    stale = Session.objects.filter(terminated_at=None, abandoned_at=None, launched_at__lt=now - SESSION_MAX_AGE)
    for pk in stale.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            session = (
                Session.objects.select_for_update()
                .select_related("registration__rep", "au__course")
                .filter(pk=pk, terminated_at=None, abandoned_at=None)
                .first()
            )
            if session is not None:
                _abandon(session, now)
                count += 1
    return count


def _reviewable(registration: Registration, au: Au) -> bool:
    """Review mode is for an AU the rep has finished: completed or passed in this registration."""
    status = registration.statuses.filter(au=au).first()
    return status is not None and (status.completed_at is not None or status.passed_at is not None)


def _launch_url(url: str, params: dict[str, str]) -> str:
    base, _hash, fragment = url.partition("#")
    joined = base + ("&" if "?" in base else "?") + urlencode(params)
    return joined + (f"#{fragment}" if fragment else "")


def cmi5_launch(
    *,
    rep: "User",
    lesson: Any,
    au: Au,
    site: str,
    return_url: str,
    launch_mode: str = LaunchMode.NORMAL,
    now: datetime | None = None,
) -> tuple[Session, str]:
    """Launch an AU for the rep; return the session and the URL to open (the AU with the cmi5 parameters).

    ``site`` is the scheme and host the rep's browser uses (the endpoint and fetch URL are under it).
    """
    now = now or timezone.now()
    course = au.course
    fetch_key = secrets.token_urlsafe(32)
    with transaction.atomic():
        registration = _registration(rep=rep, course=course, lesson=lesson, now=now)
        if launch_mode == LaunchMode.REVIEW and not _reviewable(registration, au):
            raise Cmi5Error(_("Only an AU you have completed or passed opens for review."))
        _abandon_open(registration, now)
        session = Session.objects.create(
            registration=registration,
            au=au,
            launch_mode=launch_mode,
            fetch_hash=token_hash(fetch_key),
            token_key=GRANT_PREFIX + secrets.token_hex(16),
            launched_at=now,
        )
        file_url = f"{site}/learn/lessons/{lesson.pk}/cmi5/{au.url}"
        au_url = au.url if au.is_external else file_url
        template = {
            "contextActivities": {"grouping": [{"id": au.publisher_id, "objectType": "Activity"}]},
            "extensions": {EXT_SESSION: str(session.session_id)},
        }
        launch_data: dict[str, Any] = {
            "contextTemplate": template,
            "launchMode": launch_mode,
            "moveOn": au.move_on,
            "returnURL": return_url,
        }
        extensions: dict[str, Any] = {
            EXT + "launchmode": launch_mode,
            EXT + "launchurl": au_url.split("#")[0],
            EXT + "moveon": au.move_on,
        }
        if au.launch_parameters:
            launch_data["launchParameters"] = au.launch_parameters
            extensions[EXT + "launchparameters"] = au.launch_parameters
        if au.mastery_score is not None:
            launch_data["masteryScore"] = float(au.mastery_score)
            extensions[EXT + "masteryscore"] = float(au.mastery_score)
        if au.entitlement_key:
            launch_data["entitlementKey"] = {"courseStructure": au.entitlement_key}
        credential = _credential(rep)
        activity_id = au_activity_id(au)
        lms_state_put(
            credential=credential,
            activity_id=activity_id,
            agent=actor_of(rep),
            registration=str(registration.registration),
            state_id=LAUNCH_DATA,
            data=launch_data,
        )
        lms_learner_preferences_put(
            credential=credential, agent=actor_of(rep), language=getattr(rep, "language", "") or settings.LANGUAGE_CODE
        )
        launched = _statement(
            rep=rep,
            verb="launched",
            obj=_au_object(au),
            context=_context(
                registration=registration, session_id=session.session_id, publisher_id=au.publisher_id, **extensions
            ),
            now=now,
        )
        lms_statements_store(credential=credential, statements=[launched])
        records.lesson_launch(rep=rep, lesson=lesson)
    url = _launch_url(
        au_url,
        {
            "endpoint": f"{site}/xapi/",
            "fetch": f"{site}/cmi5/fetch/{fetch_key}/",
            "actor": json.dumps(actor_of(rep), separators=(",", ":")),
            "registration": str(registration.registration),
            "activityId": activity_id,
        },
    )
    return session, url


def cmi5_fetch(*, fetch_key: str, now: datetime | None = None) -> dict[str, str]:
    """The fetch URL's answer: the session's auth-token the first time, the specification's error JSON after."""
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().filter(fetch_hash=token_hash(fetch_key)).first()
        if session is None:
            return {"error-code": "2", "error-text": "Unknown fetch URL."}
        if session.token_fetched_at is not None:
            return {"error-code": "1", "error-text": "The authorization token has already been returned."}
        if not session.is_open or now - session.launched_at > SESSION_MAX_AGE:
            return {"error-code": "1", "error-text": "The AU session has ended or expired."}
        secret = secrets.token_urlsafe(32)
        session.token_hash = token_hash(secret)
        session.token_fetched_at = now
        session.save(update_fields=["token_hash", "token_fetched_at"])
    token = base64.b64encode(f"{session.token_key}:{secret}".encode()).decode()
    return {"auth-token": token}


def session_grant(key: str, secret: str) -> SessionGrant | None:
    """The LRS's resolver for cmi5 auth-tokens: the grant of an open session, or None."""
    if not key.startswith(GRANT_PREFIX):
        return None
    session = (
        Session.objects.select_related("registration__rep", "au__course")
        .filter(token_key=key)
        .exclude(token_hash="")
        .first()
    )
    if session is None or not hmac.compare_digest(session.token_hash, token_hash(secret)):
        return None
    if not session.is_open or timezone.now() - session.launched_at > SESSION_MAX_AGE:
        return None
    rep = session.registration.rep
    if not rep.is_active:
        return None
    return SessionGrant(
        credential=_credential(rep),
        agent=actor_of(rep),
        activity_id=au_activity_id(session.au),
        registration=str(session.registration.registration),
        store=lambda statements, store: _store_through(session.pk, statements, store),
        read_only_state_ids=frozenset({LAUNCH_DATA}),
    )


# --- the cmi5 rules for the AU's statements -----------------------------------------------------------------


def _refuse(message: str) -> XapiError:
    return XapiError(403, f"cmi5: {message}")


def _ids(items: Any) -> list[str]:
    if isinstance(items, dict):
        items = [items]
    return [i.get("id") for i in items or [] if isinstance(i, dict)]


def _check_defined(
    st: dict[str, Any], verb: str, session: Session, status: AuStatus, seen: list[str], activity_id: str
) -> None:
    """The rules of cmi5 section 9 for one cmi5-defined statement of the AU (raise to refuse)."""
    if verb not in AU_VERBS:
        raise _refuse(f"the AU may not send cmi5-defined '{st['verb']['id']}' statements.")
    obj = st["object"]
    if obj.get("objectType", "Activity") != "Activity" or obj.get("id") != activity_id:
        raise _refuse("the object of a cmi5-defined statement must be the AU (the launch's activityId).")
    context = st.get("context", {})
    if session.au.publisher_id not in _ids(context.get("contextActivities", {}).get("grouping")):
        raise _refuse("cmi5-defined statements must carry the contextTemplate's grouping (the AU's publisher id).")
    if session.launch_mode != LaunchMode.NORMAL and verb not in ("initialized", "terminated"):
        raise _refuse(f"in {session.launch_mode} mode the AU sends only initialized and terminated.")
    if verb in seen:
        raise _refuse(f"'{verb}' was sent already in this session.")
    if verb in ("passed", "failed") and ({"passed", "failed"} & set(seen)):
        raise _refuse("a session has at most one of passed and failed.")
    if verb == "completed" and status.completed_at is not None:
        raise _refuse("'completed' was sent already in this registration.")
    if verb == "passed" and status.passed_at is not None:
        raise _refuse("'passed' was sent already in this registration.")
    if verb == "failed" and status.passed_at is not None:
        raise _refuse("'failed' may not follow 'passed' in a registration.")
    result = st.get("result", {})
    want_success = {"passed": True, "failed": False}.get(verb)
    if want_success is None and "success" in result:
        raise _refuse(f"'{verb}' statements carry no result.success.")
    if want_success is not None and result.get("success") is not want_success:
        raise _refuse(f"'{verb}' statements need result.success {str(want_success).lower()}.")
    if verb == "completed" and result.get("completion") is not True:
        raise _refuse("'completed' statements need result.completion true.")
    if verb != "completed" and "completion" in result:
        raise _refuse(f"'{verb}' statements carry no result.completion.")
    if "score" in result and verb not in ("passed", "failed"):
        raise _refuse(f"'{verb}' statements carry no score.")
    if verb in ("terminated", "completed", "passed", "failed") and "duration" not in result:
        raise _refuse(f"'{verb}' statements need result.duration.")
    moveon = CATEGORY_MOVEON in _ids(context.get("contextActivities", {}).get("category"))
    if moveon != ("success" in result or "completion" in result):
        raise _refuse("the moveOn category goes with (and only with) a result with success or completion.")
    scaled = result.get("score", {}).get("scaled")
    mastery = session.au.mastery_score
    if mastery is not None and scaled is not None:
        if verb == "passed" and Decimal(str(scaled)) < mastery:
            raise _refuse("a passed score is below the masteryScore.")
        if verb == "failed" and Decimal(str(scaled)) >= mastery:
            raise _refuse("a failed score reaches the masteryScore.")
    progress = result.get("extensions", {}).get(EXT_PROGRESS)
    if progress is not None and (
        not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100
    ):
        raise _refuse("progress is an integer from 0 to 100.")


def _store_through(
    session_pk: int,
    statements: list[dict[str, Any]],
    store: Callable[[list[dict[str, Any]]], list[str]],
) -> list[str]:
    """Check a batch the AU sent against the cmi5 rules, store it, and follow up (status, moveOn, satisfied)."""
    now = timezone.now()
    with transaction.atomic():
        session = (
            Session.objects.select_for_update().select_related("registration__rep", "au__course").get(pk=session_pk)
        )
        registration, rep = session.registration, session.registration.rep
        status, _created = AuStatus.objects.select_for_update().get_or_create(registration=registration, au=session.au)
        activity_id = au_activity_id(session.au)
        me = agent_key(actor_of(rep))
        repeated = lms_statements_stored([st.get("id", "") for st in statements if st.get("id")])
        seen = list(session.verbs)
        initialized, terminated = session.initialized_at is not None, session.terminated_at is not None
        accepted: list[tuple[str, dict[str, Any]]] = []
        answers: list[dict[str, Any]] = []
        for st in statements:
            if st.get("id") in repeated:
                continue  # a retry: the LRS answers it as stored (or 409 if it differs)
            if not session.is_open or terminated:
                raise _refuse("this session has ended; no more statements are taken for it.")
            if agent_key(st.get("actor", {})) != me:
                raise _refuse("the actor must be the one the launch gave.")
            verb_iri = st["verb"]["id"]
            if verb_iri == "http://adlnet.gov/expapi/verbs/voided":
                raise _refuse("an AU may not void statements.")
            context = st.get("context", {})
            if context.get("registration") != str(registration.registration):
                raise _refuse("the context's registration must be the launch's.")
            if context.get("extensions", {}).get(EXT_SESSION) != str(session.session_id):
                raise _refuse("the context must carry this session's id (cmi5 sessionid extension).")
            defined = CATEGORY_CMI5 in _ids(context.get("contextActivities", {}).get("category"))
            if not defined and verb_iri == records_vocab.ANSWERED.iri:
                answers.append(st)
            verb = SHORT.get(verb_iri, "")
            if not initialized and not (defined and verb == "initialized"):
                raise _refuse("the first statement of a session must be a cmi5-defined 'initialized'.")
            if defined:
                _check_defined(st, verb, session, status, seen, activity_id)
                seen.append(verb)
                initialized = initialized or verb == "initialized"
                terminated = verb == "terminated"
                accepted.append((verb, st))
        ids = store(statements)
        session.verbs = seen
        session.last_statement_at = now
        for verb, st in accepted:
            result = st.get("result", {})
            if verb == "initialized":
                session.initialized_at = now
            elif verb == "completed":
                status.completed_at = now
            elif verb == "passed":
                status.passed_at, status.score_scaled = now, result.get("score", {}).get("scaled")
            elif verb == "failed":
                status.failed_at = now
                status.score_scaled = result.get("score", {}).get("scaled", status.score_scaled)
            elif verb == "terminated":
                session.terminated_at = now
                _learning_time(session, result.get("duration"), now)
        for st in answers:
            _answer_record(session, st)
        session.save(update_fields=["verbs", "last_statement_at", "initialized_at", "terminated_at"])
        status.save()
        if any(verb in ("completed", "passed") for verb, _st in accepted):
            _evaluate(registration, session_id=session.session_id, now=now)
        if any(verb == "failed" for verb, _st in accepted):
            _failure_record(registration, status, session_id=session.session_id)
    return ids


def _answer_record(session: Session, st: dict[str, Any]) -> None:
    """An `answered` on a cmi.interaction (a cmi5-allowed statement) also feeds the lesson's item analysis."""
    obj = st["object"]
    definition = obj.get("definition", {})
    if obj.get("objectType", "Activity") != "Activity" or "interactionType" not in definition:
        return
    registration = session.registration
    base = content_source().lesson_activity(registration.lesson)
    kept = {k: definition[k] for k in ("interactionType", "correctResponsesPattern", "description") if k in definition}
    result = {k: v for k, v in st.get("result", {}).items() if k in ("response", "success")}
    records.statement_record(
        actor=registration.rep,
        verb=records_vocab.ANSWERED,
        activity=records.Activity(
            iri=obj["id"],
            type=TYPE_INTERACTION,
            name=definition.get("name") or {"ja-JP": obj["id"].rsplit("/", 1)[-1][:200]},
            course_id=base["course_id"],
            course_version_id=base["course_version_id"],
            lesson_id=base["lesson_id"],
            parents=[au_activity_id(session.au), base["iri"]],
            definition=kept,
        ),
        result=result or None,
        statement_id=uuid.uuid5(session.session_id, st["id"]),
        registration=registration.registration,
    )


def _learning_time(session: Session, duration: Any, now: datetime) -> None:
    """The session's time (its terminated duration, no more than the clock since the launch) is learning time."""
    try:
        seconds = records.parse_duration(duration) if isinstance(duration, str) else 0.0
    except records.StatementError:
        return
    seconds = min(seconds, (now - session.launched_at).total_seconds() + 60, records.MAX_REPORT_SECONDS)
    if seconds < 1:
        return
    registration = session.registration
    time_reports.lesson_time_record(
        rep=registration.rep,
        lesson=registration.lesson,
        seconds=seconds,
        statement_id=uuid.uuid5(session.session_id, "time"),
        reported=True,
    )


# --- moveOn and satisfied -----------------------------------------------------------------------------------


def _evaluate(registration: Registration, *, session_id: uuid.UUID, now: datetime) -> None:
    """Issue `satisfied` for each block and the course whose AUs all met their moveOn (once per registration)."""
    course = registration.course
    aus = list(course.aus.all())
    blocks = {b.pk: b for b in course.blocks.all()}
    statuses = {s.au_id: s for s in registration.statuses.all()}
    met = {}
    for au in aus:
        status = statuses.get(au.pk)
        if status is not None:
            status.au = au
        met[au.pk] = status.satisfied if status is not None else au.move_on == "NotApplicable"
    under: dict[int, list[int]] = defaultdict(list)
    for au in aus:
        block_id = au.block_id
        while block_id is not None:
            under[block_id].append(au.pk)
            block_id = blocks[block_id].parent_id
    done = set(registration.satisfied)
    new = []
    rep = registration.rep
    for block in sorted(blocks.values(), key=lambda b: (-b.depth, b.position)):
        if str(block.pk) in done or not under[block.pk] or not all(met[a] for a in under[block.pk]):
            continue
        new.append(
            _statement(
                rep=rep,
                verb="satisfied",
                obj={
                    "id": block_activity_id(block),
                    "definition": {"type": TYPE_BLOCK, "name": {"ja-JP": block.title}},
                },
                context=_context(registration=registration, session_id=session_id, publisher_id=block.publisher_id),
                now=now,
            )
        )
        done.add(str(block.pk))
    course_done = "course" not in done and bool(aus) and all(met.values())
    if course_done:
        new.append(
            _statement(
                rep=rep,
                verb="satisfied",
                obj={
                    "id": course_activity_id(course),
                    "definition": {"type": TYPE_COURSE, "name": {"ja-JP": course.title}},
                },
                context=_context(registration=registration, session_id=session_id, publisher_id=course.publisher_id),
                now=now,
            )
        )
        done.add("course")
    if not new:
        return
    lms_statements_store(credential=_credential(rep), statements=new)
    registration.satisfied = sorted(done)
    registration.save(update_fields=["satisfied"])
    if course_done:
        records.lesson_complete(
            rep=rep,
            lesson=registration.lesson,
            by_content=True,
            statement_id=uuid.uuid5(registration.registration, "course"),
        )
        _result_record(registration, aus, statuses)


def _result_record(registration: Registration, aus: list[Au], statuses: dict[int, AuStatus]) -> None:
    """A satisfied course that judged or scored the rep is the lesson's pass, with the mean of the AUs' scaled
    scores: what a certification's minimum score reads (kizuna.records.services.lesson_result_record)."""
    judged = any("Passed" in au.move_on for au in aus)
    scores = [s.score_scaled for s in statuses.values() if s.score_scaled is not None]
    if not judged and not scores:
        return
    records.lesson_result_record(
        rep=registration.rep,
        lesson=registration.lesson,
        passed=True,
        score_scaled=round(sum(scores) / len(scores), 4) if scores else None,
        statement_id=uuid.uuid5(registration.registration, "result"),
        registration=registration.registration,
    )


def _failure_record(registration: Registration, status: AuStatus, *, session_id: uuid.UUID) -> None:
    """A `failed` on an AU whose moveOn needs a pass (Passed, CompletedAndPassed) keeps the course from being
    satisfied until the rep passes it: that is the lesson's failed result, with the mean of the AUs' scaled
    scores, so whatever reads lesson results (a certification's minimum score) sees the failure as it sees a
    failed SCORM package. A later pass satisfies the course and records the pass (``_result_record``)."""
    if "course" in registration.satisfied or status.satisfied:
        return
    if status.au.move_on not in (MoveOn.PASSED, MoveOn.COMPLETED_AND_PASSED):
        return
    scores = [s for s in registration.statuses.values_list("score_scaled", flat=True) if s is not None]
    records.lesson_result_record(
        rep=registration.rep,
        lesson=registration.lesson,
        passed=False,
        score_scaled=round(sum(scores) / len(scores), 4) if scores else None,
        statement_id=uuid.uuid5(registration.registration, f"failed:{session_id}"),
        registration=registration.registration,
    )


def cmi5_au_waive(*, registration: Registration, au: Au, reason: str, now: datetime | None = None) -> AuStatus:
    """Waive an AU for a registration (it then meets its moveOn), with the reason; at most once per AU."""
    now = now or timezone.now()
    reason = reason.strip()[:200]
    if not reason:
        raise Cmi5Error(_("Say why the AU is waived."), field="reason")
    if au.course_id != registration.course_id:
        raise Cmi5Error(_("This AU is not in the registration's course."))
    with transaction.atomic():
        status, _created = AuStatus.objects.select_for_update().get_or_create(registration=registration, au=au)
        if status.waived_at is not None:
            raise Cmi5Error(_("This AU is waived already."))
        session_id = uuid.uuid4()  # a waiver is a session of its own
        st = _statement(
            rep=registration.rep,
            verb="waived",
            obj=_au_object(au),
            context=_context(
                registration=registration, session_id=session_id, publisher_id=au.publisher_id, moveon=True
            ),
            result={"success": True, "completion": True, "extensions": {EXT_REASON: reason}},
            now=now,
        )
        lms_statements_store(credential=_credential(registration.rep), statements=[st])
        status.waived_at = now
        status.save(update_fields=["waived_at"])
        _evaluate(registration, session_id=session_id, now=now)
    return status
