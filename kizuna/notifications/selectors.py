"""Reads of a person's notifications."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification, PushPreferences, PushSubscription
from .subjects import changed_subjects

if TYPE_CHECKING:
    from kizuna.accounts.models import User

LIST_SIZE = 200  # rows read for the list; grouped, they make far fewer entries


def notifications_for(user: "User") -> QuerySet[Notification]:
    """Return this person's latest notifications, newest first."""
    return Notification.objects.filter(recipient=user)[:LIST_SIZE]


@dataclass
class NotificationGroup:
    """One entry of the list: the newest notification of a kind, and the older ones of that kind it stands for."""

    latest: Notification
    older: list[Notification] = field(default_factory=list)
    # What the latest one's subject is now, when it changed since (kizuna.notifications.subjects).
    now_note: str = ""
    older_notes: dict[int, str] = field(default_factory=dict)

    @property
    def unread(self) -> bool:
        return self.latest.read_at is None

    @property
    def count(self) -> int:
        return 1 + len(self.older)

    @property
    def older_with_notes(self) -> list[tuple[Notification, str]]:
        return [(n, self.older_notes.get(n.pk, "")) for n in self.older]


def notification_groups_for(user: "User") -> list[NotificationGroup]:
    """Return this person's notification list: unread ones of a kind grouped into one entry, read ones of a
    kind likewise, newest entry first (1 query, plus one per kind of subject whose state apps report)."""
    rows = list(notifications_for(user))
    notes = changed_subjects(user, rows)
    groups: dict[tuple[str, bool], NotificationGroup] = {}
    for notification in rows:
        key = (notification.kind, notification.read_at is None)
        group = groups.get(key)
        if group is None:
            groups[key] = NotificationGroup(latest=notification, now_note=notes.get(notification.pk, ""))
        else:
            group.older.append(notification)
            if notification.pk in notes:
                group.older_notes[notification.pk] = notes[notification.pk]
    return list(groups.values())  # dicts keep insertion order: by each group's newest notification


def access_notification_for_user(user: "User", notification_id: int) -> Notification:
    """Return one of this person's own notifications, or 404."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise Http404
    return notification


def push_preferences_for(user: "User") -> "PushPreferences":
    """Return this person's push preferences (the defaults, unsaved, until they change them)."""
    return PushPreferences.objects.filter(user=user).first() or PushPreferences(user=user)


def push_subscription_count(user: "User") -> int:
    return PushSubscription.objects.filter(user=user).count()


def push_subscriber_ids() -> set[int]:
    """Return the ids of the people with at least one phone subscribed (for daily pushes such as review due)."""
    return set(PushSubscription.objects.values_list("user_id", flat=True).distinct())
