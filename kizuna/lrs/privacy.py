"""The LRS's part of a person's data: statements and documents that other systems sent about them.

The LRS keeps statements about anyone, naming people by e-mail (`mbox`), its SHA-1 (`mbox_sha1sum`) or an
account. A person's export holds every stored statement that names them. Erasing a departed person follows
the records app's rule: statements stay (a principal's other systems count on them), but every agent in them
that identifies the person becomes the same opaque account our own statements use (their public id, no name,
no e-mail); the documents kept under their agent (State, Agent Profile) are deleted.
"""

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from kizuna.accounts.personal_data import Contribution, register

from .models import LrsDocument, LrsStatement, LrsStatementKey
from .statements import statement_keys

BATCH = 500


def _identifiers(user: Any) -> tuple[str, str, set[str]]:
    mbox = f"mailto:{user.email}".lower()
    sha1 = hashlib.sha1(mbox.encode()).hexdigest()  # noqa: S324 (the xAPI IFI is SHA-1)
    site = settings.SITE_URL.rstrip("/")
    accounts = {f"account:{site}|{user.public_id}", f"account:{site}/|{user.public_id}"}
    return mbox, sha1, accounts


def _key_filter(user: Any) -> Q:
    mbox, sha1, accounts = _identifiers(user)
    # An mbox is kept as the sender spelled it; e-mail addresses are matched whatever their case.
    return Q(kind=LrsStatementKey.Kind.AGENT) & (
        Q(key__iexact=f"mbox:{mbox}") | Q(key=f"sha1:{sha1}") | Q(key__in=accounts)
    )


def _statements(user: Any) -> "Iterator[LrsStatement]":
    seqs = LrsStatementKey.objects.filter(_key_filter(user)).values("statement_id")
    return LrsStatement.objects.filter(seq__in=seqs).order_by("seq").iterator(chunk_size=BATCH)


def _names(user: Any, agent: Any) -> bool:
    if not isinstance(agent, dict) or agent.get("objectType", "Agent") != "Agent":
        return False
    mbox, sha1, accounts = _identifiers(user)
    account = agent.get("account")
    return (
        str(agent.get("mbox", "")).lower() == mbox
        or str(agent.get("mbox_sha1sum", "")).lower() == sha1
        or (
            isinstance(account, dict) and f"account:{account.get('homePage', '')}|{account.get('name', '')}" in accounts
        )
    )


def _anonymized(user: Any, value: Any) -> Any:
    """The value with every agent that identifies the person replaced by their opaque account."""
    if _names(user, value):
        return {"objectType": "Agent", "account": {"homePage": settings.SITE_URL, "name": str(user.public_id)}}
    if isinstance(value, dict):
        return {key: _anonymized(user, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_anonymized(user, item) for item in value]
    return value


def _documents(user: Any) -> Iterable[tuple[str, Iterable[dict[str, Any]]]]:
    return [("lrs_statements.xapi.json", (row.data for row in _statements(user)))]


def _erase(user: Any) -> None:
    mbox, sha1, accounts = _identifiers(user)
    agent_keys = Q(agent_key__iexact=f"mbox:{mbox}") | Q(agent_key=f"sha1:{sha1}") | Q(agent_key__in=accounts)
    LrsDocument.objects.filter(agent_keys).delete()
    changed = []
    for row in _statements(user):
        row.data = _anonymized(user, row.data)
        changed.append(row)
    with transaction.atomic():
        for start in range(0, len(changed), BATCH):
            rows = changed[start : start + BATCH]
            LrsStatement.objects.bulk_update(rows, ["data"])
            LrsStatementKey.objects.filter(statement__in=rows).delete()
            LrsStatementKey.objects.bulk_create(
                [
                    LrsStatementKey(statement_id=row.seq, kind=kind, key=key[:1000], related=related, verb=row.verb)
                    for row in rows
                    for kind, key, related in statement_keys(row.data)
                ]
            )


register(Contribution(app="lrs", documents=_documents, erase=_erase))
