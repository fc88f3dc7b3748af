"""Scenarios' part of a person's data: their plays (path, score, value profile)."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import Attempt, Scenario, ScenarioVersion

register(
    Contribution(
        app="scenarios",
        parts=(Part("scenario_plays", Attempt, "rep", Erasure.KEEP),),
        excluded=(
            Excluded(Scenario, "created_by", STAFF_ACTION),
            Excluded(ScenarioVersion, "published_by", STAFF_ACTION),
        ),
    )
)
