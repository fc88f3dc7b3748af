"""Writes another app makes in the LRS as the LMS (cmi5's launched / satisfied statements, LMS.LaunchData).

They go through the same store and document paths as integrations' requests, with a system credential per
organization (the partner of the people concerned, or the principal): its key names it, it has no usable secret.
"""

import json
import uuid
from typing import Any

from django.db import transaction

from kizuna.ops.tokens import token_hash, token_new

from .documents import DocumentKey, document_get, document_save
from .models import LrsCredential, LrsDocument, LrsStatement, system_key
from .people import partner_id_of
from .statements import statements_store


def lrs_system_credential(*, name: str, slug: str, partner_id: int | None) -> LrsCredential:
    """The credential an app writes with for one organization (made on first use; nobody can sign in with it)."""
    key = system_key(slug, partner_id)
    with transaction.atomic():
        credential, _created = LrsCredential.objects.get_or_create(
            key=key, defaults={"name": name[:100], "secret_hash": token_hash(token_new()), "partner_id": partner_id}
        )
    return credential


def lms_statements_store(*, credential: LrsCredential, statements: list[dict[str, Any]]) -> list[str]:
    """Store the LMS's own statements (validated like any)."""
    return statements_store(credential=credential, statements=statements, version="1.0.3")


def lms_state_put(
    *, credential: LrsCredential, activity_id: str, agent: dict[str, Any], registration: str, state_id: str, data: Any
) -> None:
    """Replace one JSON state document."""
    key = DocumentKey(kind=LrsDocument.Kind.STATE, activity_id=activity_id, agent=agent, registration=registration)
    document_save(
        credential=credential,
        key=key,
        document_id=state_id,
        content=json.dumps(data, ensure_ascii=False).encode(),
        content_type="application/json",
        merge=False,
    )


LEARNER_PREFERENCES = "cmi5LearnerPreferences"


def lms_learner_preferences_put(*, credential: LrsCredential, agent: dict[str, Any], language: str) -> None:
    """cmi5's learner preferences (section 11) in the person's Agent Profile, for an AU to read: the language from
    the person's setting; an audioPreference already there (the AU may keep the learner's choice) stays, else "on"."""
    key = DocumentKey(kind=LrsDocument.Kind.AGENT_PROFILE, agent=agent)
    with transaction.atomic():
        existing = document_get(credential=credential, key=key, document_id=LEARNER_PREFERENCES)
        data: dict[str, Any] = {"languagePreference": language, "audioPreference": "on"}
        if existing is not None:
            try:
                old = json.loads(bytes(existing.content))
            except ValueError:
                old = None
            if isinstance(old, dict):
                if old.get("audioPreference") in ("on", "off"):
                    data["audioPreference"] = old["audioPreference"]
                if old == {**old, **data}:
                    return  # unchanged: keep the document's ETag
                data = {**old, **data}
        document_save(
            credential=credential,
            key=key,
            document_id=LEARNER_PREFERENCES,
            content=json.dumps(data, ensure_ascii=False).encode(),
            content_type="application/json",
            merge=False,
        )


def lms_credential_for(*, person: Any, name: str, slug: str) -> LrsCredential:
    """The system credential for the organization of the person the LMS writes about."""
    return lrs_system_credential(name=name, slug=slug, partner_id=partner_id_of(person))


def lms_statements_stored(ids: list[str]) -> set[str]:
    """Which of these statement ids the LRS holds already (a retried request)."""
    wanted = []
    for value in ids:
        try:
            wanted.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return {str(i) for i in LrsStatement.objects.filter(statement_id__in=wanted).values_list("statement_id", flat=True)}
