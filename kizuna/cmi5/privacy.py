"""cmi5's part of a person's data: their registrations in cmi5 courses, the AUs' status and the sessions.

What they did is in the LRS's statements (the LRS's part, erased there). These rows hold no free text, so
erasure keeps them for the figures, tied to the anonymous id; the session's secrets are never exported.
"""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import AuStatus, Course, Registration, Session

register(
    Contribution(
        app="cmi5",
        parts=(
            Part("cmi5_registrations", Registration, "rep", Erasure.KEEP),
            Part("cmi5_au_status", AuStatus, "registration__rep", Erasure.KEEP),
            Part(
                "cmi5_sessions",
                Session,
                "registration__rep",
                Erasure.KEEP,
                omit=("fetch_hash", "token_key", "token_hash"),
            ),
        ),
        excluded=(Excluded(Course, "uploaded_by", STAFF_ACTION),),
    )
)
