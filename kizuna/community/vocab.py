"""The xAPI terms of the community: published verbs where they exist, our own question/answer types.

The **recognition** an answer's author receives when the answer is accepted or up-voted is a cross-app
contract (gamification counts it): actor = the answer's author, verb ActivityStreams ``receive``, object =
the answer, ``result.extensions[EXT_RECOGNITION]`` = ``"accepted"`` or ``"upvoted"``. Withdrawing a vote
or an acceptance records a ``voided`` statement whose object is a StatementRef (object_type ``StatementRef``,
object id = the voided statement's UUID).
"""

from kizuna.records.vocab import ADL_VERBS, ANSWERED, VOIDED, Term

ASKED = Term(ADL_VERBS + "asked", "質問した", "asked")
VOTED_UP = Term("http://id.tincanapi.com/verb/voted-up", "高評価した", "voted up")
ACCEPTED = Term("http://activitystrea.ms/schema/1.0/accept", "ベストアンサーに選んだ", "accepted")
RECEIVED = Term("http://activitystrea.ms/schema/1.0/receive", "受け取った", "received")

TYPE_QUESTION = Term("activity-types/community-question", "コミュニティの質問", "community question", own=True)
TYPE_ANSWER = Term("activity-types/community-answer", "コミュニティの回答", "community answer", own=True)
# xAPI's objectType for a statement that refers to another statement (used by "voided").
TYPE_STATEMENT_REF = Term("StatementRef", "ステートメント参照", "statement reference")

EXT_RECOGNITION = Term("extensions/recognition", "評価", "recognition", own=True)
EXT_ANSWER = Term("extensions/community-answer", "回答", "answer", own=True)

RECOGNITION_ACCEPTED = "accepted"
RECOGNITION_UPVOTED = "upvoted"

OWN_TERMS = (TYPE_QUESTION, TYPE_ANSWER, EXT_RECOGNITION, EXT_ANSWER)

__all__ = [
    "ACCEPTED",
    "ANSWERED",
    "ASKED",
    "EXT_ANSWER",
    "EXT_RECOGNITION",
    "RECEIVED",
    "TYPE_ANSWER",
    "TYPE_QUESTION",
    "TYPE_STATEMENT_REF",
    "VOIDED",
    "VOTED_UP",
]
