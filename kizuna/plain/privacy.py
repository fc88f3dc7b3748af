"""Plain words' part of a person's data: the words they said they did not understand (with the sentence)."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import Term, WordQuestion

register(
    Contribution(
        app="plain",
        parts=(
            Part(
                "plain_word_questions",
                WordQuestion,
                "rep",
                Erasure.DELETE,
                fields=("lesson_title", "course_title", "word", "sentence", "created_at", "explained_at"),
            ),
        ),
        excluded=(Excluded(Term, "updated_by", STAFF_ACTION),),
    )
)
