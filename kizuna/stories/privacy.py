"""Success stories' part of a person's data: the stories about them (their interview answers and recording).

Erasing a departed person deletes the stories about them; a lesson already published from one stays, as the
principal's content, with the credit it was published with.
"""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import SuccessStory

register(
    Contribution(
        app="stories",
        parts=(Part("success_stories", SuccessStory, "rep", Erasure.DELETE, omit=("nominated_by", "drafted_by")),),
        excluded=(
            Excluded(SuccessStory, "nominated_by", STAFF_ACTION),
            Excluded(SuccessStory, "drafted_by", STAFF_ACTION),
        ),
    )
)
