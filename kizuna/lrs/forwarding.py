"""Forwarding statements to an external LRS: its settings (principal admins) and the job that sends them.

Each forwarder sends, oldest first, the statements stored before it was set up (by position, up to the last one
stored when the job first saw it) and then those its outbox collected: `statement_rows_insert` writes an outbox
row per forwarder in the same transaction as the statement, so nothing stored is missed and nothing waits on a
gap. A batch is removed from the outbox (or the history cursor moves) only after the external LRS accepted it:
a worker killed mid-send sends the batch again, and the external LRS recognises each statement by its id.

A refusal of the whole batch for one statement (400) or a conflict (409) is settled one statement at a time with
PUT: a statement the external LRS has already counts as sent, one it refuses is counted and skipped. Any other
failure (network, 401/403, 5xx, 429…) leaves the batch where it is and waits, 30 s doubling up to an hour.
"""

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError
from kizuna.ops.outbound import AddressRefused, OutboundURLError, outbound_session, outbound_url_check
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.selectors import organizations_all

from .models import LrsAttachment, LrsForwarder, LrsForwardItem, LrsStatement

# A forwarder set up less than this long ago has its history bound fixed later, once writes that began before
# it existed (and so wrote no outbox rows for it) have committed.
SETTLE = timedelta(seconds=30)
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600
TIMEOUT_SECONDS = 20
MAX_BATCH = 500
# How long one worker holds a forwarder for a batch: longer than a batch takes (a request, or one per statement).
LEASE = timedelta(minutes=10)
_SETTINGS_FIELDS = ("name", "endpoint", "username", "version", "batch_size", "active", "partner")


class LrsForwarderError(ApplicationError):
    """Settings that cannot be saved; the message is shown to the admin."""


# --- settings ------------------------------------------------------------------------------------------------


def _endpoint(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LrsForwarderError(_("Enter the LRS's http:// or https:// address."), field="endpoint")
    if parts.query or parts.fragment:
        raise LrsForwarderError(_("Enter the LRS's address without ? or #."), field="endpoint")
    try:
        outbound_url_check(value, schemes=("https", "http"), field="endpoint")  # never this server or its network
    except OutboundURLError as err:
        raise LrsForwarderError(err.message, field="endpoint") from None
    return value if value.endswith("/") else value + "/"


def _partner(partner_code: str | None) -> Any:
    if not partner_code:
        return None
    partner = organizations_all().filter(slug=partner_code, kind="partner").first()
    if partner is None:
        raise LrsForwarderError(_("No partner has the code %(code)s.") % {"code": partner_code}, field="partner")
    return partner


def _snapshot(forwarder: LrsForwarder) -> dict[str, Any]:
    # What the trail keeps of the settings: never the secret.
    return {
        "name": forwarder.name,
        "endpoint": forwarder.endpoint,
        "username": forwarder.username,
        "version": forwarder.version,
        "batch_size": forwarder.batch_size,
        "active": forwarder.active,
        "partner": forwarder.partner.slug if forwarder.partner_id and forwarder.partner else None,
    }


def _checked(*, name: str, username: str, secret: str, batch_size: int, version: str) -> None:
    if not name.strip():
        raise LrsForwarderError(_("Give the external LRS a name."), field="name")
    if not username.strip() or not secret:
        raise LrsForwarderError(_("Enter the key and the secret the external LRS gave you."), field="username")
    if not 1 <= batch_size <= MAX_BATCH:
        raise LrsForwarderError(
            _("Send between 1 and %(most)d statements per request.") % {"most": MAX_BATCH}, field="batch_size"
        )
    if version not in LrsForwarder.Version.values:
        raise LrsForwarderError(_("Choose xAPI 1.0.3 or 2.0.0."), field="version")


def lrs_forwarder_create(
    *,
    name: str,
    endpoint: str,
    username: str,
    secret: str,
    partner_code: str | None = None,
    version: str = "1.0.3",
    batch_size: int = 100,
    actor: Any = None,
) -> LrsForwarder:
    """Start forwarding every statement (or one partner's) to an external LRS, history included."""
    _checked(name=name, username=username, secret=secret, batch_size=batch_size, version=version)
    partner = _partner(partner_code)
    with transaction.atomic():
        forwarder = LrsForwarder.objects.create(
            name=name.strip()[:100],
            endpoint=_endpoint(endpoint),
            username=username.strip(),
            secret=secret,
            partner=partner,
            version=version,
            batch_size=batch_size,
        )
        audit_record(
            action=Action.LRS_FORWARDER_CREATE,
            actor=actor,
            target=forwarder,
            target_label=forwarder.name,
            organization_id=None,  # principal settings: not shown in the agency's trail
            after=_snapshot(forwarder),
        )
    return forwarder


def lrs_forwarder_update(
    *,
    forwarder: LrsForwarder,
    name: str,
    endpoint: str,
    username: str,
    secret: str = "",
    version: str,
    batch_size: int,
    active: bool,
    actor: Any = None,
) -> LrsForwarder:
    """Change the settings; an empty secret keeps the one saved. Resuming or a change retries at once."""
    _checked(name=name, username=username, secret=secret or forwarder.secret, batch_size=batch_size, version=version)
    before = _snapshot(forwarder)
    forwarder.name = name.strip()[:100]
    forwarder.endpoint = _endpoint(endpoint)
    forwarder.username = username.strip()
    forwarder.version = version
    forwarder.batch_size = batch_size
    forwarder.active = active
    after = _snapshot(forwarder)
    secret_changed = bool(secret) and secret != forwarder.secret
    if secret:
        forwarder.secret = secret
    if after == before and not secret_changed:
        return forwarder
    forwarder.next_attempt_at = None
    forwarder.failures = 0
    with transaction.atomic():
        forwarder.save()
        changed_after = {k: v for k, v in after.items() if before.get(k) != v}
        if secret_changed:
            changed_after["secret"] = "changed"  # noqa: S105 (a marker: the secret itself is never recorded)
        audit_record(
            action=Action.LRS_FORWARDER_UPDATE,
            actor=actor,
            target=forwarder,
            target_label=forwarder.name,
            organization_id=None,  # principal settings: not shown in the agency's trail
            before={k: before[k] for k in changed_after if k in before},
            after=changed_after,
        )
    return forwarder


def lrs_forwarder_delete(*, forwarder: LrsForwarder, actor: Any = None) -> None:
    """Stop forwarding and forget the waiting statements (they stay stored here)."""
    with transaction.atomic():
        audit_record(
            action=Action.LRS_FORWARDER_DELETE,
            actor=actor,
            target=forwarder,
            target_label=forwarder.name,
            organization_id=None,  # principal settings: not shown in the agency's trail
            before=_snapshot(forwarder),
        )
        LrsForwardItem.objects.filter(forwarder=forwarder).delete()
        forwarder.delete()


# --- the outbox --------------------------------------------------------------------------------------------


def forward_enqueue(rows: list[LrsStatement]) -> None:
    """Put newly stored statements in the outbox of each forwarder whose scope they are in (a paused one too:
    it sends them when resumed)."""
    if not rows:
        return
    forwarders = list(LrsForwarder.objects.order_by().values_list("pk", "partner_id"))
    if not forwarders:
        return
    LrsForwardItem.objects.bulk_create(
        [
            LrsForwardItem(forwarder_id=pk, statement_id=row.seq)
            for pk, partner_id in forwarders
            for row in rows
            if partner_id is None or row.partner_id == partner_id
        ]
    )


def _scope(forwarder: LrsForwarder) -> Q:
    return Q(partner_id=forwarder.partner_id) if forwarder.partner_id is not None else Q()


def forward_waiting(forwarder: LrsForwarder) -> int:
    """About how many statements wait to be sent to this forwarder (history still to send and the outbox)."""
    history = LrsStatement.objects.filter(_scope(forwarder)).filter(seq__gt=forwarder.backfill_seq)
    outbox = LrsForwardItem.objects.filter(forwarder=forwarder)
    if forwarder.backfill_through is None:  # the whole history waits; the outbox holds part of it
        return history.count()
    history = history.filter(seq__lte=forwarder.backfill_through)
    return history.count() + outbox.filter(statement_id__gt=forwarder.backfill_through).count()


# --- sending -------------------------------------------------------------------------------------------------


@dataclass
class _Answer:
    status: int | None
    body: str
    error: str = ""


def _request(forwarder: LrsForwarder, method: str, url: str, body: bytes, content_type: str) -> _Answer:
    credentials = base64.b64encode(f"{forwarder.username}:{forwarder.secret}".encode()).decode()
    headers = {
        "Authorization": f"Basic {credentials}",
        "X-Experience-API-Version": forwarder.version,
        "Content-Type": content_type,
        "User-Agent": "Kizuna LRS forwarder",
    }
    try:
        # Only to public addresses, connecting to the address checked (kizuna.ops.outbound: no SSRF); a redirect
        # is an answer to report, not followed with the credentials.
        with (
            outbound_session() as session,
            session.request(
                method, url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, stream=True, allow_redirects=False
            ) as response,
        ):
            text = response.raw.read(20000, decode_content=True).decode("utf-8", "replace")
    except AddressRefused as exc:
        return _Answer(None, "", f"refused: {exc.host} is an internal address")
    except (requests.RequestException, OSError, ValueError) as exc:
        return _Answer(None, "", f"{type(exc).__name__}: {exc}"[:300])
    if response.status_code >= 300:
        return _Answer(response.status_code, text[:2000], f"HTTP {response.status_code}: {text[:300]}")
    return _Answer(response.status_code, text)


def _body(statements: list[dict[str, Any]], single: bool = False) -> tuple[bytes, str]:
    """JSON, or multipart/mixed when a statement carries attachment content stored here."""
    document = json.dumps(statements[0] if single else statements, ensure_ascii=False).encode()
    wanted = {
        a["sha2"].lower()
        for st in statements
        for a in [*st.get("attachments", []), *st.get("object", {}).get("attachments", [])]
        if "fileUrl" not in a
    }
    if not wanted:
        return document, "application/json"
    boundary = uuid.uuid4().hex
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), document, b"\r\n"]
    for row in LrsAttachment.objects.filter(sha2__in=wanted):
        chunks += [
            f"--{boundary}\r\nContent-Type: {row.content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {row.sha2}\r\n\r\n".encode(),
            bytes(row.content),
            b"\r\n",
        ]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'


def _send(forwarder: LrsForwarder, statements: list[dict[str, Any]]) -> tuple[int, int, str]:
    """Send one batch; return (accepted, refused, error). An error means: nothing settled, try again later."""
    body, content_type = _body(statements)
    answer = _request(forwarder, "POST", forwarder.endpoint + "statements", body, content_type)
    if answer.status == 200:
        return len(statements), 0, ""
    if answer.status not in (400, 409):
        return 0, 0, answer.error
    # One statement spoils the batch: settle them one by one, under their own ids.
    accepted = refused = 0
    last_refusal = ""
    for st in statements:
        body, content_type = _body([st], single=True)
        url = forwarder.endpoint + "statements?" + urlencode({"statementId": st["id"]})
        one = _request(forwarder, "PUT", url, body, content_type)
        if one.status in (200, 204, 409):  # stored now, or it has this id already
            accepted += 1
        elif one.status == 400:
            refused += 1
            last_refusal = _("Statement %(id)s refused: %(error)s") % {"id": st["id"], "error": one.error}
        else:
            return 0, 0, one.error  # settle nothing: the whole batch is sent again
    return accepted, refused, last_refusal


def _next_batch(forwarder: LrsForwarder, now: datetime) -> tuple[str, list[LrsStatement]]:
    """("history" | "outbox", statements) to send next, oldest first; ("", []) when nothing waits."""
    if forwarder.backfill_through is None:
        if now - forwarder.created_at < SETTLE:
            return "", []
        last = LrsStatement.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        forwarder.backfill_through = last
        LrsForwarder.objects.filter(pk=forwarder.pk).update(backfill_through=last)
    if forwarder.backfill_seq < forwarder.backfill_through:
        rows = list(
            LrsStatement.objects.filter(_scope(forwarder))
            .filter(seq__gt=forwarder.backfill_seq, seq__lte=forwarder.backfill_through)
            .order_by("seq")[: forwarder.batch_size]
        )
        if rows:
            return "history", rows
        forwarder.backfill_seq = forwarder.backfill_through
        LrsForwarder.objects.filter(pk=forwarder.pk).update(backfill_seq=forwarder.backfill_seq)
    seqs = list(
        LrsForwardItem.objects.filter(forwarder=forwarder)
        .order_by("statement_id")
        .values_list("statement_id", flat=True)[: forwarder.batch_size]
    )
    return ("outbox", list(LrsStatement.objects.filter(seq__in=seqs).order_by("seq"))) if seqs else ("", [])


def _delay(failures: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(failures - 1, 0), LONGEST_RETRY_SECONDS))


_STATUS_FIELDS = [
    "backfill_seq",
    "sent_count",
    "refused_count",
    "last_sent_at",
    "last_attempt_at",
    "failures",
    "next_attempt_at",
    "last_error",
    "last_error_at",
]


def _claim(forwarder_id: int) -> bool:
    """Take the forwarder for one batch (no other worker sends for it meanwhile); a killed worker's claim lapses.

    A claim, not a row lock: no transaction stays open while the external LRS answers."""
    real_now = timezone.now()
    return bool(
        LrsForwarder.objects.filter(pk=forwarder_id, active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=real_now))
        .update(lease_until=real_now + LEASE)
    )


def _send_one_batch(forwarder: LrsForwarder, moment: datetime) -> int | None:
    """Send the next batch and settle it; return how many the external LRS accepted, None when nothing goes."""
    if forwarder.next_attempt_at and forwarder.next_attempt_at > moment:
        return None
    kind, rows = _next_batch(forwarder, moment)
    if not rows:
        return None
    accepted, refused, error = _send(forwarder, [row.data for row in rows])
    forwarder.last_attempt_at = moment
    with transaction.atomic():
        if accepted + refused < len(rows):  # nothing settled: wait, then send this batch again
            forwarder.failures += 1
            forwarder.next_attempt_at = moment + _delay(forwarder.failures)
            forwarder.last_error, forwarder.last_error_at = error[:500], moment
            forwarder.save(update_fields=_STATUS_FIELDS)
            return None
        if kind == "history":
            forwarder.backfill_seq = rows[-1].seq
            # Statements of the history that also reached the outbox are sent: drop them there.
            LrsForwardItem.objects.filter(forwarder=forwarder, statement_id__lte=forwarder.backfill_seq).delete()
        else:
            LrsForwardItem.objects.filter(forwarder=forwarder, statement_id__in=[r.seq for r in rows]).delete()
        forwarder.sent_count += accepted
        forwarder.refused_count += refused
        forwarder.failures = 0
        forwarder.next_attempt_at = None
        forwarder.last_sent_at = moment
        if error:
            forwarder.last_error, forwarder.last_error_at = error[:500], moment
        forwarder.save(update_fields=_STATUS_FIELDS)
    return accepted


def forwarder_run(*, forwarder_id: int, now: datetime | None = None, max_batches: int = 1000) -> int:
    """Send what waits for one forwarder, batch by batch, until done, failing, or `max_batches`; return how many
    statements the external LRS accepted. Two workers never send for the same forwarder at once."""
    sent = 0
    for _batch in range(max_batches):
        if not _claim(forwarder_id):
            return sent
        try:
            forwarder = LrsForwarder.objects.get(pk=forwarder_id)
            done = _send_one_batch(forwarder, now or timezone.now())
        finally:
            LrsForwarder.objects.filter(pk=forwarder_id).update(lease_until=None)
        if done is None:
            return sent
        sent += done
    return sent


def forward_all(*, now: datetime | None = None, budget_seconds: float = 50.0) -> int:
    """Every minute: each active forwarder sends what waits (within the budget; the next run goes on)."""
    start = timezone.now()
    sent = 0
    for forwarder_id in LrsForwarder.objects.filter(active=True).values_list("pk", flat=True):
        while (timezone.now() - start).total_seconds() < budget_seconds:
            done = forwarder_run(forwarder_id=forwarder_id, now=now, max_batches=10)
            sent += done
            if done == 0:
                break
    return sent
