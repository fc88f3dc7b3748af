"""Media's part of a person's data: none of its own; the app that uses a video exports and erases it."""

from kizuna.accounts.personal_data import Contribution, Excluded, register

from .models import Video

register(
    Contribution(
        app="media",
        excluded=(
            Excluded(
                Video,
                "uploaded_by",
                "lesson videos are the organisation's content; a rep's roleplay videos are exported and "
                "erased by coaching, which owns the take",
            ),
        ),
    )
)
