"""Web Push, the notifications' phone channel: VAPID keys, which kinds may be pushed, and the delivery itself.

A feature names its kinds that may reach the phone with `register_push_kind(kind, category)` from its
AppConfig.ready(); the rep switches each category on or off (PushPreferences). `notification_send` pushes the
registered kinds of in-app notifications; features that only e-mail (reminders) call `push_send` directly.
Messages are encrypted for each browser (RFC 8291, aes128gcm) and signed with the deployment's VAPID key
(RFC 8292) by pywebpush, in a background task.
"""

import base64
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from py_vapid import Vapid02

if TYPE_CHECKING:
    from .models import PushPreferences

logger = logging.getLogger(__name__)

# The switches a rep has (fields of PushPreferences), with what they say on the settings page.
CATEGORIES: dict[str, Promise] = {
    "assignments": _("Required courses due soon or overdue"),
    "updates": _("New flash updates"),
    "review": _("Review cards due today"),
    "community": _("Answers to your community questions"),
    "coaching": _("Feedback from coaches"),
}
_KINDS: dict[str, str] = {}


def register_push_kind(kind: str, category: str) -> None:
    """Let notifications of this kind reach the phone, switched by the rep's `category` (from AppConfig.ready())."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown push category {category!r}")
    _KINDS[kind] = category


def push_category(kind: str) -> str | None:
    return _KINDS.get(kind)


# VAPID --------------------------------------------------------------------------------------------------------


def _key_file() -> Path:
    return Path(settings.VAR_DIR) / "vapid_private.pem"


def vapid() -> Vapid02:
    """Return the deployment's VAPID key: WEBPUSH_VAPID_PRIVATE_KEY, else var/vapid_private.pem (made once)."""
    if settings.WEBPUSH_VAPID_PRIVATE_KEY:
        return Vapid02.from_string(settings.WEBPUSH_VAPID_PRIVATE_KEY)
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Vapid02()
        key.generate_keys()
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(key.private_pem())
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)  # never replaces a key another process made meanwhile
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return Vapid02.from_file(str(path))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_public_key() -> str:
    """Return the public key browsers subscribe with (applicationServerKey)."""
    return vapid_public_key_text(vapid())


def vapid_public_key_text(key: Vapid02) -> str:
    """Return a key's public half as browsers take it: the uncompressed point, base64url."""
    point = key.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(point)


def vapid_private_key_text(key: Vapid02) -> str:
    """Return a private key as WEBPUSH_VAPID_PRIVATE_KEY takes it (the 32-byte scalar, base64url)."""
    return _b64url(key.private_key.private_numbers().private_value.to_bytes(32, "big"))


# Quiet hours ---------------------------------------------------------------------------------------------------


def quiet_until(preferences: "PushPreferences", now: datetime) -> datetime | None:
    """Return when the quiet hours that `now` falls in end (local time), or None when it is not quiet now."""
    start, end = preferences.quiet_start, preferences.quiet_end
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    moment = local.time().replace(tzinfo=None)
    # Hours that wrap midnight (22:00–07:00) are quiet after the start or before the end.
    quiet = start <= moment < end if start < end else moment >= start or moment < end
    if not quiet:
        return None
    day = local.date() if moment < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end), local.tzinfo)


# The message -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushMessage:
    """What a phone shows: already in the recipient's language."""

    title: str
    body: str
    url: str
    tag: str
    lang: str

    def payload(self) -> str:
        # Push services take about 4 KB: the body is cut well before.
        data = {"title": self.title[:200], "body": self.body[:600], "url": self.url, "tag": self.tag, "lang": self.lang}
        return json.dumps(data, ensure_ascii=False)


def deliver(*, subscription_info: dict[str, Any], message: PushMessage) -> int:
    """Encrypt and send one message to one browser; return the push service's HTTP status (0: unreachable)."""
    from pywebpush import WebPushException, webpush

    from kizuna.ops.outbound import outbound_session

    try:
        response = webpush(
            subscription_info=subscription_info,
            data=message.payload(),
            vapid_private_key=vapid(),
            vapid_claims={"sub": settings.WEBPUSH_CONTACT},
            ttl=settings.WEBPUSH_TTL_SECONDS,
            timeout=10,
            headers={"Urgency": "normal"},
            # The endpoint is the browser's word: only public addresses, the one checked (kizuna.ops.outbound).
            requests_session=outbound_session(),
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else 0
        logger.info("push to %s refused: %s", subscription_info["endpoint"][:60], status)
        return status
    except OSError as exc:  # connection refused, DNS, timeout (requests' errors are OSErrors)
        logger.info("push to %s failed: %s", subscription_info["endpoint"][:60], exc)
        return 0
    return int(getattr(response, "status_code", 201))
