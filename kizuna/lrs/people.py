"""Which of our people an xAPI agent names: by account (our site and the person's public id), mbox or mbox_sha1sum."""

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError


def person_for_agent(agent: dict[str, Any]) -> Any | None:
    """Return the active person the agent identifies, or None (unknown agents are simply stored)."""
    if not isinstance(agent, dict) or agent.get("objectType", "Agent") != "Agent":
        return None
    people = get_user_model().objects.filter(is_active=True).select_related("membership__organization")
    if "mbox" in agent:
        return people.filter(email__iexact=agent["mbox"][len("mailto:") :]).first()
    if "account" in agent:
        account = agent["account"]
        if account.get("homePage", "").rstrip("/") != settings.SITE_URL.rstrip("/"):
            return None
        try:
            return people.filter(public_id=account.get("name")).first()
        except ValidationError:
            return None
    if "mbox_sha1sum" in agent:
        wanted = agent["mbox_sha1sum"].lower()
        for pk, email in people.values_list("pk", "email").iterator():
            if hashlib.sha1(f"mailto:{email}".encode()).hexdigest() == wanted:  # noqa: S324 (the xAPI IFI is SHA-1)
                return people.get(pk=pk)
    return None


def partner_id_of(person: Any) -> int | None:
    """The partner agency of a person (None for the principal's staff or someone without an organization)."""
    membership = getattr(person, "membership", None)
    if membership is None or membership.organization.kind != "partner":
        return None
    return membership.organization_id


def people_for_agents(agents: list[dict[str, Any]]) -> list[Any | None]:
    """person_for_agent for many agents at once: one query per kind of identifier, not one per agent."""
    people = get_user_model().objects.filter(is_active=True).select_related("membership__organization")
    emails, public_ids, sha1s = set(), set(), set()
    site = settings.SITE_URL.rstrip("/")
    for agent in agents:
        if not isinstance(agent, dict) or agent.get("objectType", "Agent") != "Agent":
            continue
        if "mbox" in agent:
            emails.add(agent["mbox"][len("mailto:") :].lower())
        elif "account" in agent and agent["account"].get("homePage", "").rstrip("/") == site:
            public_ids.add(agent["account"].get("name"))
        elif "mbox_sha1sum" in agent:
            sha1s.add(agent["mbox_sha1sum"].lower())
    by_email: dict[str, Any] = {}
    by_public_id: dict[str, Any] = {}
    by_sha1: dict[str, Any] = {}
    if emails:
        # E-mail addresses are stored lower-cased (accounts.UserManager).
        by_email = {p.email.lower(): p for p in people.filter(email__in=emails)}
    if public_ids:
        valid = set()
        for value in public_ids:
            try:
                valid.add(str(uuid.UUID(str(value))))
            except ValueError:
                continue
        by_public_id = {str(p.public_id): p for p in people.filter(public_id__in=valid)} if valid else {}
    if sha1s:
        for pk, email in people.values_list("pk", "email").iterator():
            digest = hashlib.sha1(f"mailto:{email}".encode()).hexdigest()  # noqa: S324 (the xAPI IFI is SHA-1)
            if digest in sha1s:
                by_sha1[digest] = pk
        found = {p.pk: p for p in people.filter(pk__in=by_sha1.values())} if by_sha1 else {}
        by_sha1 = {digest: found[pk] for digest, pk in by_sha1.items() if pk in found}
    results: list[Any | None] = []
    for agent in agents:
        person = None
        if isinstance(agent, dict) and agent.get("objectType", "Agent") == "Agent":
            if "mbox" in agent:
                person = by_email.get(agent["mbox"][len("mailto:") :].lower())
            elif "account" in agent:
                person = by_public_id.get(str(agent["account"].get("name")))
            elif "mbox_sha1sum" in agent:
                person = by_sha1.get(agent["mbox_sha1sum"].lower())
        results.append(person)
    return results
