"""What a rep's pages show, computed once and kept until something it depends on changes.

A rep opens the home page many times a day; what it shows (their next lesson, review count, points strip)
changes only when a statement of theirs is projected, or when content, assignments or people change. So
those parts are kept in the cache every process shares (``CACHES["default"]``: the database by default,
Redis with ``REDIS_URL``), stamped with two tokens (``ops.RepState`` rows, renewed in the transaction that
makes the change, so a reader sees both the change and the new token, or neither):

- the rep's own token, renewed by ``rep_changed(user_id)`` when a statement of theirs is stored or projected
  (``records``) or something is done to them (kudos, a badge, a dismissed celebration);
- the shared token, renewed by ``content_changed()`` when anything reps see in common changes (a course or
  update published, an assignment made, a team changed, point rules edited). The apps name the models whose
  saves and deletes renew it with ``watch_content(Model, ...)`` in their ``AppConfig.ready``.

A kept value is used only while both tokens are the ones it was computed under, and only on the day it was
computed (due dates and streaks turn over at midnight). A page reads the tokens once (one query, remembered
on the request's user) and its kept values in one cache round trip. The same tokens make the rep pages' ETag (``rep_etag``): a revisit with nothing changed answers 304.

A value must be picklable and the same for every request of the rep in one language (no CSRF tokens, no
request paths): keep data here, not HTML with forms in it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

KEEP_SECONDS = 2 * 24 * 3600
ETAG_SECONDS = 600
_MEMO = "_kizuna_rep_state"
_AHEAD = "_kizuna_rep_read_ahead"


def _cache() -> Any:
    return caches["default"]


def _value_key(user_id: int, name: str) -> str:
    return f"rep:{user_id}:{name}:{translation.get_language() or ''}"


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def _renew(owners: set[int]) -> None:
    from .models import RepState

    RepState.objects.bulk_create(
        [RepState(owner=owner, token=_new_token()) for owner in sorted(owners)],  # sorted: no lock-order deadlock
        update_conflicts=True,
        unique_fields=["owner"],
        update_fields=["token"],
    )


def rep_changed(*user_ids: int | None) -> None:
    """Forget what is kept for these people (their statements were projected, something was done to them)."""
    owners = {uid for uid in user_ids if uid}
    if owners:
        _renew(owners)


def content_changed() -> None:
    """Forget what is kept for every rep (content, assignments, teams or rules changed)."""
    from .models import RepState

    _renew({RepState.SHARED})


def _state(user: Any) -> tuple[str, str, str]:
    """The person's token, the shared one and today's date: what a kept value must have been computed under.
    Read once per request (remembered on the request's user); a missing token is made."""
    state = getattr(user, _MEMO, None)
    if state is None:
        from .models import RepState

        tokens = dict(RepState.objects.filter(owner__in=[user.pk, RepState.SHARED]).values_list("owner", "token"))
        missing = {owner for owner in (user.pk, RepState.SHARED) if owner not in tokens}
        if missing:
            _renew(missing)
            tokens = dict(RepState.objects.filter(owner__in=[user.pk, RepState.SHARED]).values_list("owner", "token"))
        state = (tokens[user.pk], tokens[RepState.SHARED], timezone.localdate().isoformat())
        setattr(user, _MEMO, state)
    return state


def kept(
    user: Any,
    parts: dict[str, Callable[[], Any]],
    *,
    turns: Callable[[dict[str, Any]], datetime | None] | None = None,
    along: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The values of the named parts for this person: kept ones if still current, the others computed and kept.

    ``turns`` tells, from the values, the next moment they change by the clock alone (a due date passing): kept
    values are recomputed from then on. ``along`` names other parts' sets the page will ask for later (the
    points strip its template draws): they are read in the same cache round trip. One query for the tokens
    (none if this request read them already), one cache read, one cache write if anything had to be computed.
    """
    stamp = _state(user)
    key = _value_key(user.pk, ",".join(sorted(parts)))
    read_ahead: dict[str, Any] = getattr(user, _AHEAD, {})
    if key in read_ahead:
        entry = read_ahead.pop(key)
    else:
        wanted = [key, *(_value_key(user.pk, name) for name in along)]
        found = _cache().get_many(wanted)
        entry = found.pop(key, None)
        setattr(user, _AHEAD, {**read_ahead, **{k: found.get(k) for k in wanted[1:]}})
    now = timezone.now()
    if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == stamp and (entry[1] is None or now < entry[1]):
        return entry[2]
    values = {name: compute() for name, compute in parts.items()}
    until = turns(values) if turns else None
    _cache().set(key, (stamp, until, values), KEEP_SECONDS)
    return values


def kept_shared(user: Any, name: str, compute: Callable[[], Any]) -> Any:
    """A value every rep sees alike (a published lesson and its outline), kept in this process's memory until the
    shared token changes: no cache round trip at all once warm. ``user`` is the person asking (their request has
    read the tokens already, or reads them now)."""
    shared = _state(user)[1]
    local = caches["template_fragments"]
    key = f"shared:{name}:{translation.get_language() or ''}"
    entry = local.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == shared:
        return entry[1]
    value = compute()
    local.set(key, (shared, value), KEEP_SECONDS)
    return value


def rep_etag(request: Any, *extra: Any, seconds: int = ETAG_SECONDS) -> str | None:
    """An ETag for a person's page: it changes when their state, the shared state, the day, the language, their
    unread notifications, its cookies, the CSRF secret (the page's forms carry a token made from it) or ``extra`` (the page's
    own address) change, and at least every ``seconds`` (pages also change by the clock: a due date passing).
    None (no ETag, no 304) for anyone signed out, or when messages wait to be shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or _has_messages(request):
        return None
    state = _state(user)
    window = int(timezone.now().timestamp()) // seconds
    parts = (user.pk, *state, window, translation.get_language(), getattr(user, "unread_notifications", ""))
    # The CSRF secret the page's forms are masked from: the cookie's, or the one this response will set; and every
    # other cookie, as a page may show something by one (the guided start's offer, say).
    get_token(request)
    secret = request.META.get("CSRF_COOKIE", "")
    cookies = sorted((k, v) for k, v in request.COOKIES.items() if k != settings.CSRF_COOKIE_NAME)
    raw = "|".join(str(part) for part in (*parts, secret, cookies, *extra))
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def rep_page(*, seconds: int = ETAG_SECONDS) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Give a person's page an ETag (``rep_etag`` of its full address) and answer a revisit that sends it back
    with 304 Not Modified before the view runs. Browsers must ask each time (private, no-cache)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
            return rep_etag(request, request.get_full_path(), seconds=seconds)

        conditional = condition(etag_func=etag)(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = conditional(request, *args, **kwargs)
            if response.has_header("ETag"):
                patch_cache_control(response, private=True, no_cache=True)
            return response

        return wrapped

    return decorate


def _has_messages(request: Any) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    # len() loads them without marking them shown; the page that follows renders them.
    return len(storage) > 0


def _on_content_saved(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    content_changed()


def watch_content(*models: type) -> None:
    """Renew the shared token whenever one of these models is saved or deleted (or its many-to-many changes)."""
    for model in models:
        uid = f"kizuna.repcache.{model._meta.label_lower}"
        post_save.connect(_on_content_saved, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_on_content_saved, sender=model, dispatch_uid=uid + ".delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_on_content_saved, sender=field.remote_field.through, dispatch_uid=uid + field.name)


def watch_people(model: type, *fields: str) -> None:
    """Renew the tokens of the people a row of this model names (``fields``; "pk" for a person's own row) when it
    is saved or deleted."""

    def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        rep_changed(*(instance.pk if name == "pk" else getattr(instance, f"{name}_id", None) for name in fields))

    uid = f"kizuna.repcache.people.{model._meta.label_lower}"
    post_save.connect(changed, sender=model, dispatch_uid=uid + ".save", weak=False)
    post_delete.connect(changed, sender=model, dispatch_uid=uid + ".delete", weak=False)
