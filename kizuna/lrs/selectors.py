"""Reads of the LRS: credentials (statements: kizuna.lrs.statements, documents: kizuna.lrs.documents)."""

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from kizuna.ops.tokens import token_hash

from .forwarding import forward_waiting
from .models import LrsActivity, LrsCredential, LrsForwarder, LrsMirror


def lrs_credential_for(*, key: str, secret: str) -> LrsCredential | None:
    """Return the active credential with this key whose secret matches, or None.

    The secret is a random 32-byte token, so its SHA-256 is stored (one hash per request, not a slow password
    hash). The same query reads what every statement request needs besides: how far the mirror has copied our
    own statements (`consistent_through`) and whether any forwarder exists (`forwarding_exists`).
    """
    credential = _credential_read(key)
    if credential is None or not hmac.compare_digest(credential.secret_hash, token_hash(secret)):
        return None
    return credential


_CREDENTIAL_FIELDS = [f for f in LrsCredential._meta.concrete_fields]


def _credential_read(key: str) -> LrsCredential | None:
    """`LrsCredential.objects.filter(key=key, active=True)` annotated with the mirror's position and whether any
    forwarder exists, as one query written once: the ORM's building of it cost a millisecond on every request.
    The SQL and the columns' converters are worked out once per database connection alias."""
    from django.db import connection

    plan = _credential_plans.get(connection.alias)
    if plan is None:
        plan = _credential_plans[connection.alias] = _credential_plan(connection)
    sql, converters = plan
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, (col, funcs) in enumerate(converters):
        for func in funcs:
            values[i] = func(values[i], col, connection)
    count = len(_CREDENTIAL_FIELDS)
    credential = LrsCredential.from_db(connection.alias, _CREDENTIAL_NAMES, values[:count])
    credential.mirror_through = values[count]  # type: ignore[attr-defined]
    credential.forwarders_exist = bool(values[count + 1])  # type: ignore[attr-defined]
    return credential


_CREDENTIAL_NAMES = [f.attname for f in _CREDENTIAL_FIELDS]
_credential_plans: dict[str, tuple[str, list[tuple[Any, list[Any]]]]] = {}


def _credential_plan(connection: Any) -> tuple[str, list[tuple[Any, list[Any]]]]:
    """The credential read's SQL, and the converters of its columns (the credential's, then the mirror's
    position; whether a forwarder exists needs none)."""
    quote = connection.ops.quote_name
    mirror, forwarder = LrsMirror._meta, LrsForwarder._meta
    columns = ", ".join(f"c.{quote(f.column)}" for f in _CREDENTIAL_FIELDS)
    sql = (
        f"SELECT {columns}, (SELECT {quote('through')} FROM {quote(mirror.db_table)} "  # noqa: S608 (model names)
        f"WHERE {quote(mirror.pk.column)} = 1), EXISTS(SELECT 1 FROM {quote(forwarder.db_table)}) "
        f"FROM {quote(LrsCredential._meta.db_table)} c WHERE c.{quote('key')} = %s AND c.{quote('active')} "
        f"ORDER BY c.{quote('created_at')} DESC LIMIT 1"
    )
    converters = []
    for f in [*_CREDENTIAL_FIELDS, mirror.get_field("through")]:
        col = f.get_col(f.model._meta.db_table)
        converters.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    return sql, converters


def forwarding_exists(credential: LrsCredential) -> bool | None:
    """Whether a forwarder existed when the credential was read for this request (None: not read with it)."""
    return vars(credential).get("forwarders_exist")


def activity_object(*, activity_id: str) -> dict[str, Any]:
    """The Activity object with the canonical definition merged from the statements that defined it."""
    row = LrsActivity.objects.filter(activity_id=activity_id).first()
    data: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if row is not None and row.definition:
        data["definition"] = row.definition
    return data


def person_object(*, agent: dict[str, Any]) -> dict[str, Any]:
    """The Person object of an agent: its identifier(s) and name(s) as arrays."""
    person: dict[str, Any] = {"objectType": "Person"}
    if "name" in agent:
        person["name"] = [agent["name"]]
    for key in ("mbox", "mbox_sha1sum", "openid", "account"):
        if key in agent:
            person[key] = [agent[key]]
    return person


def lrs_credential_by_key(*, key: str) -> LrsCredential | None:
    return LrsCredential.objects.filter(key=key.strip()).first()


def consistent_through(now: datetime, credential: LrsCredential | None = None) -> datetime:
    """The moment before which every statement, ours and others', can be read from the store.

    With a credential read by `lrs_credential_for`, the mirror's position read with it at the start of the
    request (it only moves forward, so the earlier reading is still true) saves a query.
    """
    if credential is not None and "mirror_through" in vars(credential):
        state = vars(credential)["mirror_through"]
    else:
        state = LrsMirror.objects.filter(pk=1).values_list("through", flat=True).first()
    return min(now, state) if state is not None else now


@dataclass(frozen=True)
class ForwarderStatus:
    state: str  # "paused", "failing", "sending" or "done"
    waiting: int


def forwarders_all() -> QuerySet[LrsForwarder]:
    return LrsForwarder.objects.select_related("partner").all()


def forwarder_status(forwarder: LrsForwarder) -> ForwarderStatus:
    """How one forwarder goes: paused, failing (retrying later), sending (statements wait) or done."""
    waiting = forward_waiting(forwarder)
    if not forwarder.active:
        state = "paused"
    elif forwarder.failures:
        state = "failing"
    elif waiting:
        state = "sending"
    else:
        state = "done"
    return ForwarderStatus(state=state, waiting=waiting)
