"""The support desk's part of a person's data: the questions they asked and the messages they wrote.

Erasing a departed person deletes their questions (with the screenshots) and keeps the messages they wrote on
others' questions with the text removed, so the conversation's shape and response times stay.
"""

from collections.abc import Iterator
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from django.db import transaction

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, ExportFile, Part, register
from kizuna.ops.storage import stored_open, stored_size

from .models import GuidedStart, HelpPage, Ticket, TicketMessage
from .services import screenshot_remove


def _files(user: Any) -> Iterator[ExportFile]:
    for ticket in Ticket.objects.filter(asker=user).exclude(screenshot="").only("pk", "screenshot", "created_at"):
        size = stored_size(ticket.screenshot)
        if size is not None:
            yield ExportFile(
                archive_name=f"support/question-{ticket.pk}{PurePosixPath(ticket.screenshot).suffix}",
                open=partial(stored_open, ticket.screenshot),
                size=size,
                metadata={"question": ticket.pk, "created_at": ticket.created_at.isoformat()},
            )


def _erase(user: Any) -> None:
    shots = list(Ticket.objects.filter(asker=user).exclude(screenshot="").values_list("screenshot", flat=True))
    transaction.on_commit(lambda: [screenshot_remove(name) for name in shots])


register(
    Contribution(
        app="support",
        parts=(
            Part("support_questions", Ticket, "asker", Erasure.DELETE, omit=("screenshot",)),
            Part("support_messages", TicketMessage, "author", Erasure.SCRUB, scrub={"body": ""}),
            Part("support_guided_start", GuidedStart, "user", Erasure.DELETE),
        ),
        excluded=(Excluded(Ticket, "assignee", STAFF_ACTION), Excluded(HelpPage, "created_by", STAFF_ACTION)),
        files=_files,
        erase=_erase,
    )
)
