"""The xAPI terms of roleplay practice: published ones where they exist, our own under <site>/xapi/vocab/."""

from kizuna.records.vocab import ADL_VERBS, Term

# A rep hands in a take (Activity Streams' published "submit").
SUBMITTED = Term("http://activitystrea.ms/schema/1.0/submit", "提出した", "submitted")
# A reviewer's review of one take: result.score.scaled 0..1 (the contract with certification and analytics).
REVIEWED = Term("verbs/reviewed", "レビューした", "reviewed", own=True)
COMMENTED = Term(ADL_VERBS + "commented", "コメントした", "commented")

TYPE_ROLEPLAY = Term("activity-types/roleplay", "ロールプレイ", "roleplay", own=True)
TYPE_SUBMISSION = Term("activity-types/roleplay-submission", "ロールプレイの提出", "roleplay submission", own=True)

EXT_TAKE = Term("extensions/roleplay-take", "テイク番号", "take number", own=True)
EXT_RUBRIC_SCORES = Term("extensions/rubric-scores", "評価基準ごとの得点", "rubric scores", own=True)
EXT_REVIEWER_ROLE = Term("extensions/reviewer-role", "レビュー担当の種類", "reviewer role", own=True)
EXT_VIDEO_TIME = "https://w3id.org/xapi/video/extensions/time"

OWN_TERMS = (REVIEWED, TYPE_ROLEPLAY, TYPE_SUBMISSION, EXT_TAKE, EXT_RUBRIC_SCORES, EXT_REVIEWER_ROLE)
