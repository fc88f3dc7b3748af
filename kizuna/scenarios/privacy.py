"""Scenarios' part of a person's data: their plays (path, score, value profile)."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import Assignment, Attempt, Scenario, ScenarioVersion

register(
    Contribution(
        app="scenarios",
        parts=(
            Part("scenario_plays", Attempt, "rep", Erasure.KEEP),
            Part("scenario_assignments", Assignment, "rep", Erasure.KEEP),
        ),
        excluded=(
            Excluded(Scenario, "created_by", STAFF_ACTION),
            Excluded(ScenarioVersion, "published_by", STAFF_ACTION),
            Excluded(Assignment, "assigned_by", STAFF_ACTION),
        ),
    )
)
