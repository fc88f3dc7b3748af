"""The xAPI terms of SCORM packages, after ADL's SCORM-to-xAPI mapping."""

from kizuna.records.vocab import ADL_ACTIVITIES, ADL_VERBS, Term

SUSPENDED = Term(ADL_VERBS + "suspended", "中断した", "suspended")
RESUMED = Term(ADL_VERBS + "resumed", "再開した", "resumed")
# A SCO is a lesson in ADL's mapping; an interaction its cmi.interaction.
TYPE_SCO = Term(ADL_ACTIVITIES + "lesson", "レッスン", "lesson")
TYPE_INTERACTION = Term(ADL_ACTIVITIES + "cmi.interaction", "設問", "interaction")

PUBLISHED_VERBS = (SUSPENDED, RESUMED)
