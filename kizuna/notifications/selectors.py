"""Reads of a person's notifications."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification

if TYPE_CHECKING:
    from kizuna.accounts.models import User

LIST_SIZE = 50


def notifications_for(user: "User") -> QuerySet[Notification]:
    """Return this person's latest notifications, newest first."""
    return Notification.objects.filter(recipient=user)[:LIST_SIZE]


def access_notification_for_user(user: "User", notification_id: int) -> Notification:
    """Return one of this person's own notifications, or 404."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise Http404
    return notification
