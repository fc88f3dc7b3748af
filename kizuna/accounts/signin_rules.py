"""Rules that refuse a password sign-in for an address, filled by higher apps (single sign-on) at start-up."""

from collections.abc import Callable
from typing import Any

PasswordRule = Callable[[str], str | None]
_rules: list[PasswordRule] = []


def register_password_rule(rule: PasswordRule) -> None:
    """Add a rule: given the e-mail typed on the sign-in page, it returns why a password is refused, or None."""
    if rule not in _rules:
        _rules.append(rule)


def password_refusal(email: str) -> str | None:
    """Return why a password sign-in for this address is refused, or None when passwords are fine."""
    for rule in _rules:
        refusal = rule(email)
        if refusal:
            return refusal
    return None


# Where a person goes after signing out, when their sign-in must also end elsewhere (their organization's
# identity provider): a step returns the URL of that next page, or None.
SignOutStep = Callable[[Any], str | None]
_sign_out_steps: list[SignOutStep] = []


def register_sign_out_step(step: SignOutStep) -> None:
    """Add a step: given the request of a signed-in person signing out, it returns where to go next, or None."""
    if step not in _sign_out_steps:
        _sign_out_steps.append(step)


def sign_out_next(request: Any) -> str | None:
    """Return the page a signed-in person goes to after signing out, if a registered step names one."""
    for step in _sign_out_steps:
        url = step(request)
        if url:
            return url
    return None
