"""What became of a notification's subject: apps register a reader per subject type, the list asks them.

A notification tells about a moment ("you are certified: X"); the thing it is about may change afterwards
(the certification was reopened, the review was withdrawn). Notifications sit below the apps that send them
and never import them: an app registers, from its AppConfig.ready(), a reader that returns the current state
of its subjects for one person, and the notification list shows that state under every notification whose
subject changed after it was sent.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kizuna.accounts.models import User

    from .models import Notification


@dataclass(frozen=True)
class SubjectState:
    """A subject as it is now: a short sentence in the viewer's language, and when it last changed."""

    label: str
    changed_at: datetime


# reader(person, subject ids) -> {subject id: state}; ids it does not know are left out. One or two queries.
StateReader = Callable[["User", Collection[int]], Mapping[int, SubjectState]]

_READERS: dict[str, StateReader] = {}


def register_subject(subject_type: str, reader: StateReader) -> None:
    """Let an app report the current state of its subjects of this type (call from AppConfig.ready())."""
    _READERS[subject_type] = reader


def changed_subjects(user: "User", notifications: Iterable["Notification"]) -> dict[int, str]:
    """Return {notification id: what its subject is now} for the notifications whose subject changed since.

    One reader call per subject type present, whatever the number of notifications.
    """
    by_type: dict[str, list[Notification]] = defaultdict(list)
    for notification in notifications:
        if notification.subject_type in _READERS and notification.subject_id is not None:
            by_type[notification.subject_type].append(notification)
    notes: dict[int, str] = {}
    for subject_type, items in by_type.items():
        states = _READERS[subject_type](user, {n.subject_id for n in items if n.subject_id is not None})
        for notification in items:
            state = states.get(notification.subject_id or 0)
            if state is not None and state.changed_at > notification.created_at:
                notes[notification.pk] = state.label
    return notes
