"""Packages' part of a person's data: where they are in each SCO (status, score, location, suspend data).

What they did there is in their statements (records' part). Erasure keeps the figures and drops the suspend
data and location, which a package may fill with the learner's own typed text.
"""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import Package, ScoState

register(
    Contribution(
        app="packages",
        parts=(
            Part(
                "package_progress",
                ScoState,
                "rep",
                Erasure.SCRUB,
                omit=("session_interactions",),
                scrub={"suspend_data": "", "location": ""},
            ),
        ),
        excluded=(Excluded(Package, "uploaded_by", STAFF_ACTION),),
    )
)
