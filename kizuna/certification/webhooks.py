"""Writes of certification webhooks: endpoints, their secrets, and delivering entitlement events with retries."""

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.outbound import AddressRefused, OutboundURLError, outbound_session, outbound_url_check
from kizuna.ops.trail import Action, audit_record

from .errors import CertificationError
from .models import (
    EntitlementEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

if TYPE_CHECKING:
    from kizuna.accounts.models import User


# Seconds before each retry: 30 s doubling to 6 h; 16 attempts span about two days.
MAX_ATTEMPTS = 16
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 6 * 3600
TIMEOUT_SECONDS = 10


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS))


def webhook_endpoint_create(
    *, url: str, events: Iterable[str], created_by: "User", description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint; return it with its secret, which the admin sees only now."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CertificationError(_("Enter an http:// or https:// URL."))
    try:
        outbound_url_check(url, schemes=("https", "http"), field="url")  # never this server or its network
    except OutboundURLError as err:
        raise CertificationError(err.message, field="url") from None
    chosen = [e for e in WebhookEndpoint.EVENTS if e in set(events)]
    if not chosen:
        raise CertificationError(_("Choose at least one event to send."))
    secret = _new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            url=url.strip(), description=description.strip(), secret=secret, events=chosen, created_by=created_by
        )
        audit_record(
            action=Action.WEBHOOK_CREATE,
            actor=created_by,
            target=endpoint,
            target_label=endpoint.url,
            after={"url": endpoint.url, "events": chosen},
        )
    return endpoint, secret


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    with transaction.atomic():
        audit_record(
            action=Action.WEBHOOK_DELETE,
            target=endpoint,
            target_label=endpoint.url,
            before={"url": endpoint.url, "events": endpoint.events},
        )
        endpoint.delete()


def _new_secret() -> str:
    """A Standard Webhooks secret: whsec_ and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_secret_rotate(*, endpoint: WebhookEndpoint, now: datetime | None = None) -> str:
    """Give the endpoint a new secret and keep the current one valid until retired; return the new one."""
    if endpoint.previous_secret:
        # A second rotation would drop a secret the receiver may still be using.
        raise CertificationError(_("Retire the old secret before making another new one."))
    secret = _new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.secret = secret
    endpoint.secret_rotated_at = now or timezone.now()
    with transaction.atomic():
        endpoint.save(update_fields=["secret", "previous_secret", "secret_rotated_at"])
        # Never the secrets themselves: only that one was made.
        audit_record(
            action=Action.WEBHOOK_SECRET_ROTATE,
            target=endpoint,
            target_label=endpoint.url,
            after={"rotated_at": endpoint.secret_rotated_at},
        )
    return secret


def webhook_secret_retire(*, endpoint: WebhookEndpoint) -> None:
    """Stop signing with the secret from before the last rotation (the receiver has switched)."""
    endpoint.previous_secret = ""
    endpoint.save(update_fields=["previous_secret"])


def webhook_signature(secret: str, body: bytes) -> str:
    """Return the deprecated X-Kizuna-Signature value: sha256=<hex HMAC-SHA256 of the raw body>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _secret_key(secret: str) -> bytes:
    """The HMAC key of a whsec_ secret, decoded exactly as the Standard Webhooks libraries decode it."""
    encoded = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(encoded + "==")
    except binascii.Error:
        # A secret made before Standard Webhooks that is not base64: no library can verify it; rotate it.
        return encoded.encode()


def webhook_standard_signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return one Standard Webhooks signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(_secret_key(secret), signed, hashlib.sha256).digest()).decode()


def webhook_headers(*, endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime) -> dict[str, str]:
    """Return the headers that identify and sign one attempt of a delivery (Standard Webhooks + ours)."""
    body = delivery.body.encode()
    msg_id = str(delivery.event_id)  # the same on every retry and replay: receivers de-duplicate on it
    timestamp = int(now.timestamp())
    secrets_now = [endpoint.secret] + ([endpoint.previous_secret] if endpoint.previous_secret else [])
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            webhook_standard_signature(secret=s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets_now
        ),
        "X-Kizuna-Event": delivery.event_type,
        "X-Kizuna-Event-Id": msg_id,
        "Idempotency-Key": msg_id,
        # Deprecated (kept for one release): signs the body only, so a captured delivery can be re-sent.
        "X-Kizuna-Timestamp": str(timestamp),
        "X-Kizuna-Signature": webhook_signature(endpoint.secret, body),
    }


def _event_body(event: EntitlementEvent, expires_at: datetime | None) -> str:
    rep = get_user_model().objects.select_related("membership__organization").get(pk=event.rep_id)
    partner = rep.membership.organization if hasattr(rep, "membership") else None
    return json.dumps(
        {
            "id": str(event.event_id),
            "type": f"entitlement.{event.kind}",
            "created_at": event.at.isoformat(),
            "data": {
                "rep": {"public_id": str(rep.public_id), "email": rep.email, "name": rep.name},
                "partner": {"id": partner.pk, "name": partner.name} if partner else None,
                "entitlement": {"code": event.entitlement.code, "name": event.entitlement.name},
                "certification": {
                    "slug": event.certification.slug,
                    "name": event.certification.name,
                    "version": event.certification.version,
                },
                "expires_at": expires_at.isoformat() if expires_at and event.kind == "granted" else None,
                "reason": event.reason,
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _enqueue_delivery(delivery_id: int) -> None:
    from .tasks import deliver_webhook_task

    transaction.on_commit(lambda: deliver_webhook_task.enqueue(delivery_id))


def webhook_event_publish(*, event: EntitlementEvent, expires_at: datetime | None = None) -> list[WebhookDelivery]:
    """Queue the event for every active endpoint that subscribed to its type; sent after commit."""
    event_type = f"entitlement.{event.kind}"
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if event_type in e.events]
    if not endpoints:
        return []
    body = _event_body(event, expires_at)
    deliveries = []
    for endpoint in endpoints:
        delivery, created = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint,
            event_id=event.event_id,
            defaults={
                "event_type": event_type,
                "body": body,
                "created_at": event.at,
                "next_attempt_at": timezone.now(),
            },
        )
        if created:
            _enqueue_delivery(delivery.pk)
        deliveries.append(delivery)
    return deliveries


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    if urlsplit(endpoint.url).scheme not in ("http", "https"):
        return None, "unsupported URL scheme"
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Kizuna-Webhooks/1",
        **webhook_headers(endpoint=endpoint, delivery=delivery, now=now),
    }
    try:
        # Only to public addresses, connecting to the address checked (kizuna.ops.outbound: no SSRF); a redirect
        # is not followed (a 3xx is a failed delivery, retried like any other).
        with (
            outbound_session() as session,
            session.post(
                endpoint.url,
                data=delivery.body.encode(),
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
                stream=True,
            ) as response,
        ):
            status = response.status_code
    except AddressRefused as exc:
        return None, f"refused: {exc.host} is an internal address"
    except (requests.RequestException, OSError, ValueError) as exc:
        return None, str(exc)[:300]
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def webhook_delivery_attempt(
    *, delivery: WebhookDelivery, now: datetime | None = None, replay: bool = False
) -> WebhookDelivery:
    """POST the delivery once; on failure schedule the next try with exponential back-off, up to MAX_ATTEMPTS."""
    now = now or timezone.now()
    if delivery.status == WebhookDelivery.Status.DELIVERED and not replay:
        return delivery
    endpoint = delivery.endpoint
    started = time.monotonic()
    status_code, error = _post(endpoint, delivery, now)
    ok = status_code is not None and 200 <= status_code < 300
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=status_code,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
        replay=replay,
    )
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.status == WebhookDelivery.Status.DELIVERED:
        pass  # a failed replay of a delivered event leaves it delivered
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        _schedule_retry(delivery)
    delivery.save()
    return delivery


def _schedule_retry(delivery: WebhookDelivery) -> None:
    """Enqueue the retry for its time when the task backend can defer; the sweep catches it otherwise."""
    from django_tasks import default_task_backend

    from .tasks import deliver_webhook_task

    if getattr(default_task_backend, "supports_defer", False) and delivery.next_attempt_at is not None:
        run_after = delivery.next_attempt_at
        transaction.on_commit(lambda: deliver_webhook_task.using(run_after=run_after).enqueue(delivery.pk))


def webhook_deliveries_due(*, now: datetime | None = None) -> int:
    """Attempt every pending delivery whose time has come (the sweep that makes delivery at-least-once)."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
    count = 0
    for delivery in due.select_related("endpoint").order_by("next_attempt_at", "id"):
        webhook_delivery_attempt(delivery=delivery, now=now)
        count += 1
    return count


def webhook_delivery_replay(*, delivery: WebhookDelivery, now: datetime | None = None) -> WebhookDelivery:
    """Send a delivery again now, with the same event id (receivers de-duplicate on it); resets a given-up one."""
    if delivery.status == WebhookDelivery.Status.FAILED:
        delivery.attempts = 0
        delivery.status = WebhookDelivery.Status.PENDING
    return webhook_delivery_attempt(delivery=delivery, now=now, replay=True)
