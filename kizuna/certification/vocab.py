"""The xAPI terms of certifications: our own verbs for what happens to a rep's certification, and its activity type."""

from kizuna.records.vocab import Term

TYPE_CERTIFICATION = Term("activity-types/certification", "認定", "certification", own=True)
EARNED = Term("verbs/earned", "取得した", "earned", own=True)
RENEWED = Term("verbs/renewed", "更新した", "renewed", own=True)
EXPIRED = Term("verbs/expired", "失効した", "expired", own=True)
SUSPENDED = Term("verbs/suspended", "停止された", "was suspended", own=True)
RESTORED = Term("verbs/restored", "再開された", "was restored", own=True)
EXT_VERSION = Term("extensions/certification-version", "認定の版", "certification version", own=True)
# Roleplay results are the coaching app's (the cross-app contract): PASSED/FAILED on this type.
TYPE_ROLEPLAY = Term("activity-types/roleplay", "ロールプレイ", "roleplay", own=True)

VERB_OF_KIND = {"earned": EARNED, "renewed": RENEWED, "expired": EXPIRED, "suspended": SUSPENDED, "restored": RESTORED}
OWN_TERMS = (TYPE_CERTIFICATION, EXT_VERSION, EARNED, RENEWED, EXPIRED, SUSPENDED, RESTORED)
