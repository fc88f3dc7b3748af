"""Rules that refuse a password sign-in for an address, filled by higher apps (single sign-on) at start-up."""

from collections.abc import Callable

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
