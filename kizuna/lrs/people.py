"""Which of our people an xAPI agent names: by account (our site and the person's public id), mbox or mbox_sha1sum."""

import hashlib
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
