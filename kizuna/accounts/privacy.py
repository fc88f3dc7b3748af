"""Accounts' part of a person's data: the profile itself and the sign-in e-mail addresses."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry

from .models import User
from .personal_data import Contribution, Erasure, Excluded, Part, register

PROFILE_FIELDS = (
    "public_id",
    "email",
    "name",
    "language",
    "is_active",
    "date_joined",
    "invited_at",
    "last_login",
    "notify_by_email",
)


def _erase(user: Any) -> None:
    # The account itself is anonymized last, by the erasure service (accounts.services.person_anonymize).
    user.language = ""
    user.notify_by_email = False
    user.save(update_fields=["language", "notify_by_email"])


register(
    Contribution(
        app="accounts",
        parts=(
            Part("profile", User, "pk", Erasure.SCRUB, fields=PROFILE_FIELDS),
            Part("email_addresses", EmailAddress, "user", Erasure.DELETE, fields=("email", "verified", "primary")),
            # Which second factors, never their secrets.
            Part(
                "second_factors", Authenticator, "user", Erasure.DELETE, fields=("type", "created_at", "last_used_at")
            ),
        ),
        excluded=(
            Excluded(User.groups.through, "user", "Django permission groups; Kizuna's roles are memberships"),
            Excluded(User.user_permissions.through, "user", "Django permissions; Kizuna's roles are memberships"),
            Excluded(LogEntry, "user", "staff's edits in Django's own admin site, kept as the operators' audit trail"),
        ),
        erase=_erase,
    )
)
