"""Writes of a person's own account."""

from django.db.models import F
from django.utils.translation import gettext as _

from .models import User


class AccountError(Exception):
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


# The notifications app keeps these two fields of the person (the unread count every page shows without a
# query, and whether to e-mail them); it writes them only through these.


def unread_notifications_set(*, user: User, count: int) -> None:
    """Store how many of this person's notifications are unread."""
    User.objects.filter(pk=user.pk).update(unread_notifications=count)
    user.unread_notifications = count


def unread_notifications_add_one(*, user: User) -> None:
    """Count one more unread notification for this person (in the database only, safe against races)."""
    User.objects.filter(pk=user.pk).update(unread_notifications=F("unread_notifications") + 1)


def notify_by_email_set(*, user: User, notify_by_email: bool) -> None:
    """Store whether this person wants notifications by e-mail too."""
    User.objects.filter(pk=user.pk).update(notify_by_email=notify_by_email)
    user.notify_by_email = notify_by_email
