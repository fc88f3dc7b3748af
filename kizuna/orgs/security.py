"""Which roles must sign in with a second factor, and leading a person who must enrol to it.

The second factors themselves (TOTP with recovery codes, WebAuthn keys and passkeys) are allauth.mfa's;
Kizuna decides who needs one. The check is made once per sign-in (``mfa_check_at_sign_in``): a person
whose role requires it and who has none is kept on allauth's enrolment pages until they have one.
"""

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.db import transaction

from kizuna.ops.trail import Action, audit_record

from .access import membership_of
from .models import Membership, SecurityPolicy

# The session key marking a sign-in that still has to enrol a second factor.
MUST_ENROL = "kizuna_mfa_must_enrol"
SECOND_FACTORS = ["totp", "webauthn"]  # recovery codes alone are not a second factor


def security_policy() -> SecurityPolicy:
    """Return the principal's sign-in rules (made with no requirement on first use)."""
    policy = SecurityPolicy.objects.order_by("pk").first()
    return policy if policy is not None else SecurityPolicy.objects.create()


def mfa_policy_set(*, roles: list[str], by: Any) -> SecurityPolicy:
    """Require a second factor of the people with these roles, from their next sign-in."""
    unknown = set(roles) - set(Membership.Role.values)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    chosen = [role for role in Membership.Role.values if role in roles]  # in the roles' own order
    with transaction.atomic():
        policy = security_policy()
        before = list(policy.mfa_roles)
        if before != chosen:
            policy.mfa_roles = chosen
            policy.save()
            audit_record(
                action=Action.MFA_POLICY_UPDATE,
                actor=by,
                target=policy,
                target_label="mfa",
                before={"roles": before},
                after={"roles": chosen},
            )
    return policy


def mfa_required(user: Any) -> bool:
    """Whether this person's role must use a second factor."""
    m = membership_of(user)
    return m is not None and m.role in security_policy().mfa_roles


def mfa_enrolled(user: Any) -> bool:
    return is_mfa_enabled(user, types=SECOND_FACTORS)


def mfa_check_at_sign_in(*, request: Any, user: Any) -> None:
    """Mark this sign-in if the person must enrol a second factor before anything else."""
    if request is None or not hasattr(request, "session"):
        return
    if mfa_required(user) and not mfa_enrolled(user):
        request.session[MUST_ENROL] = True
    else:
        request.session.pop(MUST_ENROL, None)
