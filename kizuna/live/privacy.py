"""Live sessions' part of a person's data: the sessions they were invited to and their registrations."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import LiveAudience, LiveSession, Registration

register(
    Contribution(
        app="live",
        parts=(
            Part("live_invitations", LiveAudience, "rep", Erasure.KEEP, omit=("assigned_by",)),
            Part("live_registrations", Registration, "rep", Erasure.KEEP),
        ),
        excluded=(
            Excluded(LiveSession, "created_by", STAFF_ACTION),
            Excluded(LiveAudience, "assigned_by", STAFF_ACTION),
        ),
    )
)
