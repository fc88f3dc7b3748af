"""Writes of a person's own account."""

from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError

from .models import User


class AccountError(ApplicationError):
    """A change to one's own account that cannot be made; the message is shown to the user."""


def person_anonymize(*, user: User) -> User:
    """Replace a departed person's name and e-mail for good; their statements keep the opaque public id."""
    hexid = user.public_id.hex
    user.name = f"#{hexid[:8]}"
    user.email = f"anonymized-{hexid}@anonymized.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["name", "email", "password", "is_active"])
    return user


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
