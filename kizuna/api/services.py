"""Writes of the API app: integration tokens, and statements sent to the API by the player and integrations."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError
from kizuna.orgs.access import has_role
from kizuna.orgs.models import Membership
from kizuna.records import services as records
from kizuna.records import vocab
from kizuna.records.selectors import course_progress_for, lesson_progress_for

from .models import ApiToken, hash_token, new_raw_token
from .selectors import statement_owner_id

# last_used_at is for people deciding which tokens are still in use; a minute is precise enough.
TOUCH_INTERVAL = timedelta(minutes=1)


class ApiTokenError(ApplicationError):
    """A token that cannot be made; the message is shown to the user."""


class NotALearner(ApplicationError):
    """Someone who is not a rep tried to record learning."""

    code = "not-a-learner"
    status = 403


def api_token_create(*, user: Any, name: str, created_by: Any | None) -> tuple[ApiToken, str]:
    """Make a token for the user; return it with the raw token, which is never stored and shown only now."""
    name = name.strip()
    if not name:
        raise ApiTokenError(_("Give the token a name, such as the system that will use it."))
    if not user.is_active:
        raise ApiTokenError(_("This person’s account is deactivated."))
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:12], key_hash=hash_token(raw), created_by=created_by
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was used, writing at most once a minute."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# --- Statements from the player and integrations -----------------------------------------

VERB_LAUNCHED = vocab.LAUNCHED.iri
VERB_PROGRESSED = vocab.PROGRESSED.iri
VERB_COMPLETED = vocab.COMPLETED.iri
ACCEPTED_VERBS = (VERB_LAUNCHED, VERB_PROGRESSED, VERB_COMPLETED)


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
        raise records.StatementError(
            _("result.extensions needs a number for %(name)s (%(iri)s).") % {"name": label, "iri": iri}
        )
    return float(value)


def _duration(result: dict[str, Any]) -> float:
    text = result.get("duration")
    if not isinstance(text, str) or not text:
        raise records.StatementError(_("result.duration is required, as an ISO 8601 duration such as PT12S."))
    return records.parse_duration(text)


def _record(*, rep: Any, lesson: Any, statement_id: uuid.UUID, verb: str, result: dict, context: dict) -> bool:
    """Call the records service the verb stands for; return whether a statement was stored."""
    if verb == VERB_LAUNCHED:
        records.lesson_launch(rep=rep, lesson=lesson, statement_id=statement_id)
    elif verb == VERB_PROGRESSED:
        extensions = result.get("extensions") or {}
        seconds = _duration(result)
        if vocab.EXT_PLAYED_SEGMENTS in extensions:
            segments = extensions[vocab.EXT_PLAYED_SEGMENTS]
            if not isinstance(segments, str):
                raise records.StatementError(_("played-segments must be text such as 0[.]12.5[,]30[.]45."))
            session_id = (context.get("extensions") or {}).get(vocab.EXT_SESSION_ID, "")
            records.video_progress_record(
                rep=rep,
                lesson=lesson,
                segments=segments,
                time=_number(extensions, vocab.EXT_TIME, "time"),
                length=_number(extensions, vocab.EXT_LENGTH, "length"),
                seconds=seconds,
                statement_id=statement_id,
                session_id=str(session_id or ""),
            )
        else:
            records.lesson_time_record(rep=rep, lesson=lesson, seconds=seconds, statement_id=statement_id)
    elif verb == VERB_COMPLETED:
        # None: the lesson was already complete, so there was nothing to store.
        return records.lesson_complete(rep=rep, lesson=lesson, statement_id=statement_id) is not None
    else:
        raise records.StatementError(
            _("This verb is not accepted here. Use launched, progressed or completed (%(verbs)s).")
            % {"verbs": ", ".join(ACCEPTED_VERBS)}
        )
    return True


def lesson_statement_submit(
    *, user: Any, lesson: Any, statement_id: uuid.UUID, verb: str, result: dict | None, context: dict | None
) -> StatementOutcome:
    """Record a statement the player or an integration sent about a lesson, for the user who sent it.

    The actor and object always come from the server. A repeated id is answered again
    without being counted twice.
    """
    if not has_role(user, Membership.Role.REP):
        raise NotALearner
    owner_id = statement_owner_id(statement_id)
    if owner_id is not None and owner_id != user.pk:
        raise records.StatementError(_("This statement id is already used. Make a new UUID for each statement."))
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
