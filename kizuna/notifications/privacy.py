"""Notifications' part of a person's data: the notifications sent to them, their phones and push preferences."""

from kizuna.accounts.personal_data import Contribution, Erasure, Part, register

from .models import Notification, PushPreferences, PushSubscription

register(
    Contribution(
        app="notifications",
        parts=(
            Part("notifications", Notification, "recipient", Erasure.DELETE, omit=("dedupe_key",)),
            # The endpoint and keys are the push service's secrets for that browser: exported as its browser only.
            Part("push_subscriptions", PushSubscription, "user", Erasure.DELETE, fields=("user_agent", "created_at")),
            Part("push_preferences", PushPreferences, "user", Erasure.DELETE),
        ),
    )
)
