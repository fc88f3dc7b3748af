"""Writes of the API app: integration tokens. (Statements sent by the player: `records.services`.)"""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError
from kizuna.ops.tokens import token_hash, token_new
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.access import membership_of

from .models import TOKEN_PREFIX, ApiToken

# last_used_at is for people deciding which tokens are still in use; a minute is precise enough.
TOUCH_INTERVAL = timedelta(minutes=1)


class ApiTokenError(ApplicationError):
    """A token that cannot be made; the message is shown to the user."""


def api_token_create(*, user: Any, name: str, created_by: Any | None) -> tuple[ApiToken, str]:
    """Make a token for the user; return it with the raw token, which is never stored and shown only now."""
    name = name.strip()
    if not name:
        raise ApiTokenError(_("Give the token a name, such as the system that will use it."))
    if not user.is_active:
        raise ApiTokenError(_("This person’s account is deactivated."))
    raw = token_new(TOKEN_PREFIX)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=raw[:12], key_hash=token_hash(raw), created_by=created_by
        )
        _audit(token, Action.TOKEN_CREATE, actor=created_by, after={"name": token.name, "prefix": token.prefix})
    return token, raw


def _audit(token: ApiToken, action: Action, **changes: Any) -> None:
    """Record a change to a token: it belongs to the organization of the person it acts for."""
    m = membership_of(token.user)
    audit_record(
        action=action,
        target=token,
        target_label=f"{token.name} ({token.prefix}…, {token.user.email})",
        organization_id=m.organization_id if m is not None else None,
        **changes,
    )


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first time."""
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at):
                _audit(token, Action.TOKEN_REVOKE, before={"revoked_at": None}, after={"revoked_at": token.revoked_at})
    return token


def api_tokens_revoke_all(*, user: Any) -> int:
    """Revoke every token still valid that acts for this person; return how many."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        api_token_revoke(token=token)
    return len(tokens)


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was used, writing at most once a minute."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
