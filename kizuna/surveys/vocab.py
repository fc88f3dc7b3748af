"""The xAPI terms of surveys: ADL's answered/completed, our survey activity type and extensions."""

from kizuna.records.vocab import ADL_ACTIVITIES, ANSWERED, COMPLETED, Term

__all__ = ["ANSWERED", "COMPLETED"]

TYPE_SURVEY = Term("activity-types/survey", "アンケート", "survey", own=True)
TYPE_INTERACTION = Term(ADL_ACTIVITIES + "cmi.interaction", "設問", "interaction")
# Result extension on `completed`: every answer, {question key: value}.
EXT_SURVEY_ANSWERS = Term("extensions/survey-answers", "アンケートの回答", "survey answers", own=True)
# Context extension: the published survey version's id.
EXT_SURVEY_VERSION = Term("extensions/survey-version", "アンケートの版", "survey version", own=True)

# Context extension: the published lesson the survey was answered in.
EXT_SURVEY_LESSON = Term("extensions/survey-lesson", "アンケートのレッスン", "survey lesson", own=True)

OWN_TERMS = (TYPE_SURVEY, EXT_SURVEY_ANSWERS, EXT_SURVEY_VERSION, EXT_SURVEY_LESSON)
