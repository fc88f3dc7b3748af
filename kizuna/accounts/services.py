"""Writes of a person's own account."""

from django.utils.translation import gettext as _

from .models import User


class AccountError(Exception):
    """A change to one's own account that cannot be made; the message is shown to the user."""


def profile_update(*, user: User, name: str, language: str) -> User:
    """Change the person's display name and the language Kizuna speaks to them."""
    name = " ".join(name.split())
    if not name:
        raise AccountError(_("Enter your name."))
    if language not in User.Language.values:
        raise AccountError(_("Choose a language from the list."))
    user.name, user.language = name, language
    user.save(update_fields=["name", "language"])
    return user
