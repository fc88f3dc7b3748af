"""Assessments' part of a person's data: quiz attempts with their answers, topic retention and review cards."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import Attempt, AttemptAnswer, GiftImport, QuestionBank, Quiz, QuizVersion, ReviewCard, TopicWeek

register(
    Contribution(
        app="assessments",
        parts=(
            Part("quiz_attempts", Attempt, "rep", Erasure.KEEP),
            Part("quiz_answers", AttemptAnswer, "attempt__rep", Erasure.KEEP, omit=("graded_by",)),
            Part("topic_weeks", TopicWeek, "rep", Erasure.KEEP),
            Part("review_cards", ReviewCard, "rep", Erasure.KEEP),
        ),
        excluded=(
            Excluded(QuestionBank, "created_by", STAFF_ACTION),
            Excluded(GiftImport, "created_by", STAFF_ACTION),
            Excluded(Quiz, "created_by", STAFF_ACTION),
            Excluded(QuizVersion, "published_by", STAFF_ACTION),
            Excluded(AttemptAnswer, "graded_by", STAFF_ACTION),
        ),
    )
)
