"""The document resources (State, Activity Profile, Agent Profile): store, merge, read, list and delete, with the
ETag / If-Match / If-None-Match concurrency rules, within the credential's scope (principal or one partner)."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .http import XapiError
from .models import LrsCredential, LrsDocument
from .people import partner_id_of, person_for_agent
from .statements import agent_key

Kind = LrsDocument.Kind


@dataclass(frozen=True)
class DocumentKey:
    kind: str
    activity_id: str = ""
    agent: dict[str, Any] | None = None
    registration: str = ""

    @property
    def agent_key(self) -> str:
        return agent_key(self.agent) or "" if self.agent else ""


def _hash(credential: LrsCredential, key: DocumentKey, document_id: str) -> str:
    parts = [key.kind, str(credential.partner_id or 0), key.activity_id, key.agent_key, key.registration, document_id]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _scoped(credential: LrsCredential, key: DocumentKey) -> Any:
    return LrsDocument.objects.filter(
        kind=key.kind,
        partner_id=credential.partner_id,
        activity_id=key.activity_id,
        agent_key=key.agent_key,
        registration=key.registration,
    )


def _check_writer(credential: LrsCredential, key: DocumentKey) -> None:
    if credential.partner_id is None or key.agent is None:
        return
    person = person_for_agent(key.agent)
    if person is not None and partner_id_of(person) != credential.partner_id:
        raise XapiError(403, _("This credential may not write documents about people of another organization."))


def _etag_matches(header: str, etag: str) -> bool:
    wanted = [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")]
    return "*" in wanted or etag in wanted


def _check_preconditions(
    existing: LrsDocument | None, if_match: str | None, if_none_match: str | None, *, required: bool
) -> None:
    if if_match is not None and (existing is None or not _etag_matches(if_match, existing.etag)):
        raise XapiError(412, _("If-Match does not match the document's current ETag."))
    if if_none_match is not None and existing is not None and _etag_matches(if_none_match, existing.etag):
        raise XapiError(412, _("If-None-Match: the document exists already."))
    if required and if_match is None and if_none_match is None:
        if existing is not None:
            raise XapiError(409, _("This document exists: send If-Match with its ETag to change it."))
        raise XapiError(400, _("Send If-None-Match: * to create this document (or If-Match to change one)."))


def document_get(*, credential: LrsCredential, key: DocumentKey, document_id: str) -> LrsDocument | None:
    return _scoped(credential, key).filter(document_id=document_id).first()


def document_ids(*, credential: LrsCredential, key: DocumentKey, since: datetime | None) -> list[str]:
    docs = _scoped(credential, key)
    if since is not None:
        docs = docs.filter(updated__gt=since)
    return list(docs.order_by("updated", "pk").values_list("document_id", flat=True))


def _is_json_object(content_type: str, content: bytes) -> dict[str, Any] | None:
    if content_type.split(";")[0].strip().lower() != "application/json":
        return None
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def document_save(
    *,
    credential: LrsCredential,
    key: DocumentKey,
    document_id: str,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None = None,
    if_none_match: str | None = None,
    concurrency_required: bool = False,
    concurrency_required_to_change: bool = False,
) -> LrsDocument:
    """PUT (replace) or POST (merge JSON objects one level deep) a document; refuse by the concurrency rules."""
    _check_writer(credential, key)
    content_type = content_type or "application/octet-stream"
    is_json = content_type.split(";")[0].strip().lower() == "application/json"
    if merge and is_json and _is_json_object(content_type, content) is None:
        raise XapiError(400, _("A POSTed JSON document must be a JSON object."))
    with transaction.atomic():
        existing = _scoped(credential, key).select_for_update().filter(document_id=document_id).first()
        _check_preconditions(existing, if_match, if_none_match, required=concurrency_required and not merge)
        if concurrency_required_to_change and not merge and existing is not None and not (if_match or if_none_match):
            raise XapiError(409, _("This document exists: send If-Match with its ETag to change it."))
        if merge and existing is not None:
            old = _is_json_object(existing.content_type, bytes(existing.content))
            new = _is_json_object(content_type, content)
            if old is None or new is None:
                raise XapiError(400, _("Only JSON objects can be merged: PUT to replace this document."))
            content = json.dumps({**old, **new}, ensure_ascii=False).encode()
            content_type = "application/json"
        etag = hashlib.sha1(content).hexdigest()  # noqa: S324 (an entity tag, not a security hash)
        now = timezone.now()
        if existing is None:
            existing = LrsDocument(
                kind=key.kind,
                partner_id=credential.partner_id,
                activity_id=key.activity_id,
                agent_key=key.agent_key,
                registration=key.registration,
                document_id=document_id,
                key_hash=_hash(credential, key, document_id),
            )
        existing.content = content
        existing.content_type = content_type
        existing.etag = etag
        existing.updated = now
        existing.save()
    return existing


def document_delete(
    *, credential: LrsCredential, key: DocumentKey, document_id: str | None, if_match: str | None = None
) -> None:
    """Delete one document (or, without an id, every document under the key); deleting nothing is fine."""
    _check_writer(credential, key)
    with transaction.atomic():
        docs = _scoped(credential, key)
        if document_id is not None:
            existing = docs.select_for_update().filter(document_id=document_id).first()
            if if_match is not None:
                _check_preconditions(existing, if_match, None, required=False)
            docs = docs.filter(document_id=document_id)
        docs.delete()
