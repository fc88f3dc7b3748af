"""Notifications' part of a person's data: the notifications sent to them."""

from kizuna.accounts.personal_data import Contribution, Erasure, Part, register

from .models import Notification

register(
    Contribution(
        app="notifications",
        parts=(Part("notifications", Notification, "recipient", Erasure.DELETE, omit=("dedupe_key",)),),
    )
)
