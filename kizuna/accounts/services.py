"""Writes of people's accounts: one's own, and those that the notifications and people screens keep."""

from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.db.models import F
from django.utils import timezone
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


# The people screens (orgs) create and change the accounts of the people they manage through these.


def account_create(*, email: str, name: str) -> User:
    """Create a person's account; they set their own password from their invitation."""
    return User.objects.create_user(email, None, name=name)


def accounts_prepare(*, people: Iterable[tuple[str, str]]) -> list[User]:
    """Return unsaved accounts for (e-mail, name) pairs, without usable passwords, for accounts_insert.

    Made before the caller's transaction: making 1,000 unusable passwords is CPU work that must not hold
    the database's write lock (SQLite makes every other writer wait for it).
    """
    users = []
    for email, name in people:
        user = User(email=email, name=name)
        user.set_unusable_password()
        users.append(user)
    return users


def accounts_insert(*, users: list[User]) -> list[User]:
    """Store accounts made by accounts_prepare, 500 a query; return them with their ids."""
    return User.objects.bulk_create(users, batch_size=500)


def account_update(*, user: User, name: str, is_active: bool) -> User:
    """Change a person's name and whether they may sign in."""
    user.name, user.is_active = name, is_active
    user.save(update_fields=["name", "is_active"])
    return user


def sessions_end(*, user: User) -> int:
    """Sign the person out of every browser at once (their stored sessions are deleted); return how many.

    Sessions are stored in the database (written through from the shared cache, which servers read them from:
    the `cached_db` engine) and name their user only inside their signed data, so every unexpired one is read;
    this runs when a person leaves, not on a hot path. Each is deleted by the session engine, so from the
    cache too: a row deleted alone would leave the session readable from the cache until it expired.
    """
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    mine = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    for key in mine:
        store(session_key=key).delete()
    return len(mine)


def account_email_set(*, user: User, email: str) -> User:
    """Change the address a person signs in with (the caller checked that nobody else uses it)."""
    from allauth.account.models import EmailAddress  # type: ignore[import-untyped]

    if email != user.email:
        user.email = email
        user.save(update_fields=["email"])
        # allauth's record of the old address would otherwise still sign them in and receive their resets.
        EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
    return user


def account_invited(*, user: User) -> None:
    """Note that the person was just sent an invitation."""
    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
