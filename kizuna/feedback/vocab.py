"""The xAPI terms of field voice and content feedback.

A rep's field voice entry is ADL "shared" on our own activity type "field voice"; a rep's feedback on a
lesson is ADL "commented" on our own activity type "content feedback" (one activity per lesson version),
with ``result.success`` = "it worked with customers" and ``result.response`` = the comment.
"""

from kizuna.records.vocab import ADL_VERBS, Term

SHARED = Term(ADL_VERBS + "shared", "共有した", "shared")
COMMENTED = Term(ADL_VERBS + "commented", "コメントした", "commented")

TYPE_FIELD_VOICE = Term("activity-types/field-voice", "現場の声", "field voice", own=True)
TYPE_CONTENT_FEEDBACK = Term(
    "activity-types/content-feedback", "レッスンへのフィードバック", "content feedback", own=True
)

EXT_VOICE_KIND = Term("extensions/field-voice-kind", "現場の声の種類", "field voice kind", own=True)
EXT_DEAL_STAGE = Term("extensions/deal-stage", "商談の段階", "deal stage", own=True)
EXT_INDUSTRY = Term("extensions/customer-industry", "お客様の業種", "customer industry", own=True)
EXT_PRODUCT = Term("extensions/product", "製品", "product", own=True)
EXT_TOPICS = Term("extensions/topics", "トピック", "topics", own=True)

OWN_TERMS = (
    TYPE_FIELD_VOICE,
    TYPE_CONTENT_FEEDBACK,
    EXT_VOICE_KIND,
    EXT_DEAL_STAGE,
    EXT_INDUSTRY,
    EXT_PRODUCT,
    EXT_TOPICS,
)
