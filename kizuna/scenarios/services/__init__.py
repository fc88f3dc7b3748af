"""Writes of scenarios, by subject: the author's draft, publishing and import, and playing.

Callers import the services from here.
"""

from .assignments import scenario_assign_rep
from .drafts import (
    choice_create,
    choice_delete,
    choice_move,
    choice_update,
    node_create,
    node_delete,
    node_image_clear,
    node_image_set,
    node_question_set,
    node_update,
    scenario_create,
    scenario_reference_from_attempt,
    scenario_start_set,
    scenario_update,
    value_tag_create,
    value_tag_update,
)
from .play import attempt_start, choice_make, offline_step_record, question_answer
from .publishing import scenario_import, scenario_problems, scenario_publish, unexplained_in

__all__ = [
    "attempt_start",
    "scenario_assign_rep",
    "choice_create",
    "choice_delete",
    "choice_make",
    "choice_move",
    "choice_update",
    "node_create",
    "node_delete",
    "node_image_clear",
    "node_image_set",
    "node_question_set",
    "node_update",
    "offline_step_record",
    "question_answer",
    "unexplained_in",
    "scenario_create",
    "scenario_import",
    "scenario_problems",
    "scenario_publish",
    "scenario_reference_from_attempt",
    "scenario_start_set",
    "scenario_update",
    "value_tag_create",
    "value_tag_update",
]
