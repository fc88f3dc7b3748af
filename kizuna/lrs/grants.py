"""Session grants: short-lived LRS access that another app hands out (cmi5's auth-token is one).

A grant is HTTP Basic credentials whose key starts with ``GRANT_PREFIX``. The app that issues them registers a
resolver here (from its AppConfig.ready()); the LRS asks it when such a key arrives. A grant acts through an
ordinary credential (its scope and authority) but is narrowed to one agent, one activity and one registration,
and every batch of statements it sends passes through the issuer's ``store`` (which checks the issuer's rules,
stores through the given function and follows up, all in one transaction). The LRS never imports the issuer.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import LrsCredential

GRANT_PREFIX = "kzs_"

# (statements, the LRS's store function) -> the stored ids; raises XapiError to refuse.
StoreThrough = Callable[[list[dict[str, Any]], Callable[[list[dict[str, Any]]], list[str]]], list[str]]


@dataclass(frozen=True)
class SessionGrant:
    credential: LrsCredential
    agent: dict[str, Any]
    activity_id: str
    registration: str
    store: StoreThrough
    # State documents (of this agent, activity and registration) the grant may read but never change.
    read_only_state_ids: frozenset[str] = field(default_factory=frozenset)


_RESOLVERS: list[Callable[[str, str], SessionGrant | None]] = []


def register_grant_resolver(resolver: Callable[[str, str], SessionGrant | None]) -> None:
    """Add a resolver: (key, secret) -> the grant, or None when the resolver does not know them (or refuses)."""
    if resolver not in _RESOLVERS:
        _RESOLVERS.append(resolver)


def grant_for(*, key: str, secret: str) -> SessionGrant | None:
    for resolver in _RESOLVERS:
        grant = resolver(key, secret)
        if grant is not None:
            return grant
    return None
