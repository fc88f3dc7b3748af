"""The xAPI terms of live sessions: ADL's registered/attended on a meeting, and our own extension."""

from kizuna.records.vocab import ADL_ACTIVITIES, ADL_VERBS, Term

REGISTERED = Term(ADL_VERBS + "registered", "申し込んだ", "registered")
ATTENDED = Term(ADL_VERBS + "attended", "出席した", "attended")
TYPE_MEETING = Term(ADL_ACTIVITIES + "meeting", "ライブ研修", "meeting")
# Context extension on `attended`: how attendance was recorded ("checkin" or "upload").
EXT_ATTENDANCE_SOURCE = Term("extensions/attendance-source", "出席の記録方法", "attendance source", own=True)

OWN_TERMS = (EXT_ATTENDANCE_SOURCE,)
