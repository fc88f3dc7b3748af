"""How long a sign-in lasts (idle timeout, absolute lifetime) and "sign out everywhere".

Apps above accounts that hold a person's other credentials (API tokens) or keep a trail register a
function with ``on_sign_out_everywhere``; accounts calls them without knowing them. Likewise ``on_departure``:
what else happens when a person is deactivated (by an admin, a manager, or their agency's directory through
SCIM: all go through ``orgs.services.person_update``) or comes back.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import User

SIGNED_IN_AT = "kizuna_signed_in_at"
LAST_SEEN_AT = "kizuna_last_seen_at"

_HOOKS: list[Callable[[User], Any]] = []


def on_sign_out_everywhere(hook: Callable[[User], Any]) -> None:
    """Have ``hook(user)`` called, in the same transaction, whenever someone signs out everywhere."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def sessions_end_all(*, user: User) -> None:
    """End every session of the person (this one too) and run the registered hooks (API tokens revoked…)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(sessions_generation=F("sessions_generation") + 1)
        user.refresh_from_db(fields=["sessions_generation"])
        for hook in _HOOKS:
            hook(user)


_DEPARTURE_HOOKS: list[Callable[[User, bool], Any]] = []


def on_departure(hook: Callable[[User, bool], Any]) -> None:
    """Have ``hook(user, left)`` called, in the same transaction, when a person is deactivated (left=True) or
    reactivated (left=False): API tokens revoked, the agreement's retention clock started or stopped…"""
    if hook not in _DEPARTURE_HOOKS:
        _DEPARTURE_HOOKS.append(hook)


def account_departure(*, user: User, left: bool) -> None:
    """A person was deactivated (``left``) or reactivated. Leaving ends every browser session at once (the
    stored ones are deleted and the others' sign-in hash no longer matches) and runs the registered hooks."""
    from .services import sessions_end

    with transaction.atomic():
        if left:
            User.objects.filter(pk=user.pk).update(sessions_generation=F("sessions_generation") + 1)
            user.refresh_from_db(fields=["sessions_generation"])
            sessions_end(user=user)
        for hook in _DEPARTURE_HOOKS:
            hook(user, left)


def idle_timeout() -> timedelta:
    return timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES)


def absolute_lifetime() -> timedelta:
    return timedelta(hours=settings.SESSION_ABSOLUTE_LIFETIME_HOURS)


# The last-seen time is written at most this often: not a session write on every page.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def session_expired(session: Any, now: Any = None) -> bool:
    """Return whether this signed-in session has been idle too long or lived too long; note the visit if not."""
    now = now or timezone.now()
    stamp = int(now.timestamp())
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None:  # a session from before these limits: they start counting now
        session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = stamp
        return False
    if stamp - signed_in_at > absolute_lifetime().total_seconds():
        return True
    if last_seen_at is not None and stamp - last_seen_at > idle_timeout().total_seconds():
        return True
    if last_seen_at is None or stamp - last_seen_at >= LAST_SEEN_RESOLUTION.total_seconds():
        session[LAST_SEEN_AT] = stamp
    return False


def session_started(session: Any, now: Any = None) -> None:
    """Start both clocks of a new sign-in."""
    stamp = int((now or timezone.now()).timestamp())
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = stamp
