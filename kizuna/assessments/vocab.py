"""The xAPI terms of quizzes, answers and reviews: ADL's published ones, and our own extensions."""

from kizuna.records.vocab import ADL_ACTIVITIES, ATTEMPTED, Term

__all__ = ["ATTEMPTED"]

TYPE_ASSESSMENT = Term(ADL_ACTIVITIES + "assessment", "確認テスト", "assessment")
TYPE_INTERACTION = Term(ADL_ACTIVITIES + "cmi.interaction", "設問", "interaction")

# Context extensions.
EXT_QUIZ_VERSION = Term("extensions/quiz-version", "確認テストの版", "quiz version", own=True)
# On `attempted`: the attempt's number, drawn questions, option orders and deadline.
EXT_ATTEMPT = Term("extensions/attempt", "受験の内容", "attempt layout", own=True)
# On `answered`: the question's topic tags (slugs) when it was answered.
EXT_TOPICS = Term("extensions/topics", "トピック", "topics", own=True)
# On `answered`: the answer came from the spaced review, not from a quiz.
EXT_REVIEW = Term("extensions/review", "復習", "review", own=True)
# Result extension on `answered`: the answer itself as JSON (result.response is xAPI's string form).
EXT_ANSWER = Term("extensions/answer", "回答内容", "answer", own=True)

# A coach or the rep's manager graded an essay answer (actor: the grader; object: the question; registration:
# the attempt); result.score is the rubric score, result.extensions the rubric levels and the feedback.
GRADED = Term("verbs/graded", "採点した", "graded", own=True)
# On `completed`: {"pending": [question keys]} — essays to grade before the attempt has a score.
# On the `passed`/`failed` recorded once the last essay is graded: {"final": true}.
EXT_GRADING = Term("extensions/grading", "採点", "grading", own=True)
# Result extension on `graded`: {criterion id: level}.
EXT_RUBRIC_LEVELS = Term("extensions/rubric-levels", "評価基準ごとのレベル", "rubric levels", own=True)

OWN_TERMS = (
    EXT_QUIZ_VERSION,
    EXT_ATTEMPT,
    EXT_TOPICS,
    EXT_REVIEW,
    EXT_ANSWER,
    GRADED,
    EXT_GRADING,
    EXT_RUBRIC_LEVELS,
)
