"""Writes of assessments, by subject: banks and questions, quizzes and publishing, GIFT import (authors);
attempts and the spaced review (reps).

Reps' writes record statements only (kizuna.records.services.statement_record); the
rows they read back (Attempt, AttemptAnswer, ReviewCard…) are projections of those
statements (kizuna.assessments.projections). Callers import the services from here.
"""

from ..types.base import AnswerError  # what answer_save raises for an answer its question cannot read
from .attempts import (
    answer_save,
    attempt_close_if_expired,
    attempt_is_expired,
    attempt_start,
    attempt_submit,
    next_attempt_layout,
)
from .grading import can_grade, essay_grade
from .importing import gift_import
from .questions import bank_create, bank_ensure, bank_update, question_archive, question_create, question_update
from .quizzes import (
    MAX_TIME_LIMIT_MINUTES,
    MICRO_MAX_QUESTIONS,
    quiz_create,
    quiz_draw_add,
    quiz_item_move,
    quiz_item_remove,
    quiz_publish,
    quiz_publish_problems,
    quiz_question_add,
    quiz_question_count,
    quiz_snapshot,
    quiz_update,
)
from .review import review_answer, review_due_pushes_send

__all__ = [
    "AnswerError",
    "MAX_TIME_LIMIT_MINUTES",
    "MICRO_MAX_QUESTIONS",
    "answer_save",
    "attempt_close_if_expired",
    "attempt_is_expired",
    "attempt_start",
    "attempt_submit",
    "bank_create",
    "bank_ensure",
    "bank_update",
    "can_grade",
    "essay_grade",
    "gift_import",
    "next_attempt_layout",
    "question_archive",
    "question_create",
    "question_update",
    "quiz_create",
    "quiz_draw_add",
    "quiz_item_move",
    "quiz_item_remove",
    "quiz_publish",
    "quiz_publish_problems",
    "quiz_question_add",
    "quiz_question_count",
    "quiz_snapshot",
    "quiz_update",
    "review_answer",
    "review_due_pushes_send",
]
