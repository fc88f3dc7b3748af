"""The xAPI vocabulary Kizuna speaks: published IRIs first, our own under <site>/xapi/vocab/."""

from dataclasses import dataclass

from django.conf import settings

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
VIDEO = "https://w3id.org/xapi/video/"


def own_iri(path: str) -> str:
    """Return the IRI of one of our own terms, under the deployment's base URL."""
    return f"{settings.SITE_URL}/xapi/vocab/{path}"


@dataclass(frozen=True)
class Term:
    """A verb, activity type or extension, with its display names."""

    path: str  # full IRI for published terms, "verbs/…" style path for our own
    ja: str
    en: str
    own: bool = False

    @property
    def iri(self) -> str:
        return own_iri(self.path) if self.own else self.path

    @property
    def display(self) -> dict[str, str]:
        return {"ja-JP": self.ja, "en-US": self.en}


LAUNCHED = Term(ADL_VERBS + "launched", "開始した", "launched")
INITIALIZED = Term(ADL_VERBS + "initialized", "初期化した", "initialized")
PROGRESSED = Term(ADL_VERBS + "progressed", "進めた", "progressed")
COMPLETED = Term(ADL_VERBS + "completed", "完了した", "completed")
PASSED = Term(ADL_VERBS + "passed", "合格した", "passed")
FAILED = Term(ADL_VERBS + "failed", "不合格だった", "failed")
ANSWERED = Term(ADL_VERBS + "answered", "回答した", "answered")
TERMINATED = Term(ADL_VERBS + "terminated", "終了した", "terminated")
ATTEMPTED = Term(ADL_VERBS + "attempted", "挑戦した", "attempted")
EXPERIENCED = Term(ADL_VERBS + "experienced", "閲覧した", "experienced")
VOIDED = Term(ADL_VERBS + "voided", "取り消した", "voided")
ASKED = Term(ADL_VERBS + "asked", "質問した", "asked")
COMMENTED = Term(ADL_VERBS + "commented", "コメントした", "commented")
SHARED = Term(ADL_VERBS + "shared", "共有した", "shared")
REGISTERED = Term(ADL_VERBS + "registered", "申し込んだ", "registered")
ATTENDED = Term(ADL_VERBS + "attended", "参加した", "attended")
RECEIVED = Term("http://activitystrea.ms/schema/1.0/receive", "受け取った", "received")
VIDEO_PLAYED = Term(VIDEO + "verbs/played", "再生した", "played")
VIDEO_PAUSED = Term(VIDEO + "verbs/paused", "一時停止した", "paused")
VIDEO_SEEKED = Term(VIDEO + "verbs/seeked", "シークした", "seeked")
ASSIGNED = Term("verbs/assigned", "割り当てた", "assigned", own=True)

TYPE_COURSE = Term(ADL_ACTIVITIES + "course", "コース", "course")
TYPE_MODULE = Term(ADL_ACTIVITIES + "module", "章", "module")
TYPE_LESSON = Term(ADL_ACTIVITIES + "lesson", "レッスン", "lesson")
TYPE_STATEMENT_REF = Term("StatementRef", "ステートメント参照", "statement reference")
TYPE_VIDEO = Term(VIDEO + "activity-type/video", "動画", "video")
TYPE_PROFILE = Term(ADL_ACTIVITIES + "profile", "プロファイル", "profile")
# The xAPI Video Profile itself: every video statement names it in context.contextActivities.category.
VIDEO_PROFILE = "https://w3id.org/xapi/video"

EXT_TIME = VIDEO + "extensions/time"
EXT_LENGTH = VIDEO + "extensions/length"
EXT_TIME_FROM = VIDEO + "extensions/time-from"
EXT_TIME_TO = VIDEO + "extensions/time-to"
EXT_PROGRESS = VIDEO + "extensions/progress"
EXT_PLAYED_SEGMENTS = VIDEO + "extensions/played-segments"
EXT_COMPLETION_THRESHOLD = VIDEO + "extensions/completion-threshold"
EXT_SESSION_ID = VIDEO + "extensions/session-id"
EXT_PARTNER = Term("extensions/partner", "パートナー企業", "partner", own=True)
EXT_COURSE_VERSION = Term("extensions/course-version", "コースの版", "course version", own=True)
EXT_ASSIGNEE = Term("extensions/assignee", "割り当て先", "assignee", own=True)
EXT_REQUIRED = Term("extensions/required", "必須", "required", own=True)
EXT_DUE = Term("extensions/due", "期限", "due", own=True)

# Every term of our own, served as JSON-LD at its IRI so that each one resolves.
OWN_TERMS = {t.path: t for t in [ASSIGNED, EXT_PARTNER, EXT_COURSE_VERSION, EXT_ASSIGNEE, EXT_REQUIRED, EXT_DUE]}


def register_own(*terms: Term) -> None:
    """Add another app's own terms (verbs, activity types, extensions) so that their IRIs resolve too."""
    for term in terms:
        assert term.own, f"{term.path} is a published term, not one of ours"
        OWN_TERMS[term.path] = term


# Verbs that record something that happened to a person, not learning they did (an assignment, an
# answer of theirs up-voted, a certification expiring, a withdrawn statement): they make no learning day,
# no streak and no learning time. Apps add theirs with `register_not_learning`.
_NOT_LEARNING: list[Term] = []


def register_not_learning(*terms: Term) -> None:
    """Mark verbs whose statements are not learning by their actor."""
    for term in terms:
        if term not in _NOT_LEARNING:
            _NOT_LEARNING.append(term)


def is_learning_verb(iri: str) -> bool:
    """Return whether a statement with this verb is learning its actor did."""
    return all(term.iri != iri for term in _NOT_LEARNING)


def not_learning_verbs() -> list[str]:
    """Return the IRIs of the verbs that are not learning (for filtering in the database)."""
    return [term.iri for term in _NOT_LEARNING]


def verb_for(iri: str) -> Term | None:
    """Return the verb with this IRI (published or ours), for its display names."""
    for term in (*_PUBLISHED_VERBS, *OWN_TERMS.values()):
        if term.iri == iri:
            return term
    return None


_PUBLISHED_VERBS = (
    LAUNCHED,
    INITIALIZED,
    PROGRESSED,
    COMPLETED,
    PASSED,
    FAILED,
    ANSWERED,
    TERMINATED,
    ATTEMPTED,
    EXPERIENCED,
    VOIDED,
    ASKED,
    COMMENTED,
    SHARED,
    REGISTERED,
    ATTENDED,
    RECEIVED,
    VIDEO_PLAYED,
    VIDEO_PAUSED,
    VIDEO_SEEKED,
)


register_not_learning(ASSIGNED, VOIDED, RECEIVED)


def register_published(*terms: Term) -> None:
    """Add published verbs another app uses, so that their statements show a display name."""
    global _PUBLISHED_VERBS
    _PUBLISHED_VERBS = (*_PUBLISHED_VERBS, *(t for t in terms if t not in _PUBLISHED_VERBS))


# A video lesson counts as watched when the played segments cover this share of it.
VIDEO_COMPLETION_THRESHOLD = 0.9

# The Video Profile's statements the player sends (besides `completed`, which the server makes at the threshold).
VIDEO_PLAYER_VERBS = (INITIALIZED, VIDEO_PLAYED, VIDEO_PAUSED, VIDEO_SEEKED, TERMINATED)
# Video statements whose result.duration is the time played since the player's previous statement (the old
# player's `progressed` reports too); their played-segments add to what the rep watched.
VIDEO_REPORT_VERBS = frozenset(t.iri for t in (PROGRESSED, VIDEO_PAUSED, VIDEO_SEEKED, TERMINATED))
