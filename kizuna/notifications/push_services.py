"""Writes of the phone channel: subscriptions, a person's push preferences, and sending a push (as a task)."""

import base64
import binascii
import logging
from datetime import datetime, time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError
from kizuna.ops.outbound import OutboundURLError, outbound_url_check

from .models import PushPreferences, PushSubscription, render_message
from .push import CATEGORIES, PushMessage, deliver, push_category, quiet_until

if TYPE_CHECKING:
    from kizuna.accounts.models import User

logger = logging.getLogger(__name__)

MAX_SUBSCRIPTIONS = 10  # browsers per person; the oldest goes when an eleventh subscribes


class PushError(ApplicationError):
    pass


def _decoded(value: str, length: int, field: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != length or (length == 65 and raw[0] != 4):
        raise PushError(_("This browser sent a subscription Kizuna cannot use."), field=field)
    return value


def _check_endpoint(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    allowed = ("https", "http") if settings.WEBPUSH_ALLOW_HTTP_ENDPOINTS else ("https",)
    if parts.scheme not in allowed or not parts.hostname or len(endpoint) > 1000:
        raise PushError(_("This browser sent a subscription Kizuna cannot use."), field="endpoint")
    try:
        outbound_url_check(endpoint, schemes=allowed)  # a push service is on the internet, never on our network
    except OutboundURLError:
        raise PushError(_("This browser sent a subscription Kizuna cannot use."), field="endpoint") from None
    return endpoint


def push_subscription_save(
    *, user: "User", endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Store (or move to this person) a browser's push subscription; the same browser is stored once."""
    endpoint = _check_endpoint(endpoint.strip())
    p256dh = _decoded(p256dh.strip(), 65, "p256dh")
    auth = _decoded(auth.strip(), 16, "auth")
    with transaction.atomic():
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]},
        )
        older = PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk")[MAX_SUBSCRIPTIONS:]
        PushSubscription.objects.filter(pk__in=[s.pk for s in older]).delete()
    return subscription


def push_subscription_delete(*, user: "User", endpoint: str) -> bool:
    """Forget this person's subscription with this endpoint (this phone no longer gets pushes)."""
    return PushSubscription.objects.filter(user=user, endpoint=endpoint.strip()).delete()[0] > 0


def push_preferences_set(
    *, user: "User", switched_on: set[str], quiet_start: time | None, quiet_end: time | None
) -> PushPreferences:
    """Store which kinds this person wants on their phone and their quiet hours (both or neither)."""
    if (quiet_start is None) != (quiet_end is None):
        raise PushError(_("Give both the start and the end of your quiet hours, or neither."), field="quiet_end")
    if quiet_start is not None and quiet_start == quiet_end:
        raise PushError(_("Quiet hours must end at another time than they start."), field="quiet_end")
    unknown = switched_on - set(CATEGORIES)
    if unknown:
        raise PushError(_("Unknown kind of notification."))
    values: dict[str, Any] = {category: category in switched_on for category in CATEGORIES}
    values.update(quiet_start=quiet_start, quiet_end=quiet_end)
    preferences, _created = PushPreferences.objects.update_or_create(user=user, defaults=values)
    return preferences


def push_send(
    *,
    recipient: "User",
    kind: str,
    title: str,
    body: str = "",
    params: dict[str, Any] | None = None,
    url: str = "",
    tag: str = "",
) -> bool:
    """Push a message of a registered kind to the person's phones, after commit, in a background task.

    `title` and `body` are English msgids formatted with `params`, translated in the task into the recipient's
    language. Return whether a push was queued (the kind is registered and the person has a subscribed phone).
    """
    if push_category(kind) is None or not recipient.is_active:
        return False
    if not PushSubscription.objects.filter(user=recipient).exists():
        return False
    from .tasks import push_task

    arguments = {"kind": kind, "title": title, "body": body, "params": params or {}, "url": url, "tag": tag or kind}
    transaction.on_commit(lambda: push_task.enqueue(recipient.pk, arguments))
    return True


def push_deliver(*, recipient: "User", message: dict[str, Any], now: datetime | None = None) -> str:
    """Send one queued push to each of the person's phones; return what happened.

    "off": the person switched this kind off; "held": quiet hours, queued again for their end; "sent": at least
    one phone took it; "none": no phone took it. Phones whose subscription is gone (404/410) are forgotten.
    """
    category = push_category(message["kind"])
    preferences = PushPreferences.objects.filter(user=recipient).first() or PushPreferences(user=recipient)
    if category is None or not getattr(preferences, category):
        return "off"
    until = quiet_until(preferences, now or timezone.now())
    if until is not None:
        from .tasks import push_task

        if push_task.get_backend().supports_defer:
            push_task.using(run_after=until).enqueue(recipient.pk, message)
        else:
            logger.info("push to %s dropped: quiet hours and a task backend that cannot defer", recipient.pk)
        return "held"
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        rendered = PushMessage(
            title=render_message(message["title"], message["params"]),
            body=render_message(message["body"], message["params"]),
            url=message["url"],
            tag=message["tag"],
            lang=language,
        )
    sent = False
    for subscription in PushSubscription.objects.filter(user=recipient):
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        status = deliver(subscription_info=info, message=rendered)
        if status in (404, 410):
            subscription.delete()
        elif 200 <= status < 300:
            PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
            sent = True
    return "sent" if sent else "none"
