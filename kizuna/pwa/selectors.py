"""What a rep may keep on their phone for offline use: a lesson's offline pack (its page, its video and their
size; a scenario lesson with what plays it), and the limits the browser side keeps to."""

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.assessments.selectors import lesson_quiz_state, published_quiz, review_due
from kizuna.catalog.selectors import access_lesson_for_user, version_outline
from kizuna.learning.selectors import rep_next_up
from kizuna.records.selectors import course_progress_for
from kizuna.updates.selectors import updates_for_home

# The most a phone keeps of saved lessons (Cache Storage); saving more removes the oldest saved lessons first.
OFFLINE_BUDGET_BYTES = 300 * 1024 * 1024
# What a lesson's page and its scripts and styles weigh at most, beside its video (the page budget is 100 KB).
PAGE_ALLOWANCE_BYTES = 300 * 1024
# The kinds that work offline: what the rep does in them is queued on the phone and sent later.
OFFLINE_KINDS = ("article", "video", "micro", "quiz", "scenario")


@dataclass
class OfflinePack:
    lesson_id: int
    title: str
    kind: str
    page: str
    urls: list[str] = field(default_factory=list)
    video_bytes: int = 0
    page_bytes: int = PAGE_ALLOWANCE_BYTES
    refused: str = ""
    # What the phone keeps it under: the lesson's id, or a name for what is not a lesson ("review", "update-7").
    key: int | str | None = None
    # What the phone's pages need to know of it (today's review: the questions' pages, in order).
    extra: dict[str, Any] | None = None

    @property
    def bytes(self) -> int:
        return self.video_bytes + self.page_bytes

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.lesson_id if self.key is None else self.key,
            "lesson": self.lesson_id,
            "title": self.title,
            "kind": self.kind,
            "page": self.page,
            "urls": self.urls,
            "bytes": self.bytes,
            "budget_bytes": OFFLINE_BUDGET_BYTES,
            "refused": self.refused,
            "extra": self.extra,
        }


def _video_urls(lesson: Any) -> tuple[list[str], int] | None:
    """The URLs and size of the lesson's video and poster, or None while it is not ready."""
    video = lesson.video if lesson.video_id else None
    if video is None or not video.is_ready or not video.mp4:
        return None
    # With HLS, the phone keeps the smallest rendition as one MP4 (the lesson page's fallback, played offline).
    phone = bool(video.hls_master and video.phone_mp4)
    urls = [reverse("media:video_phone" if phone else "media:video_stream", args=[video.key])]
    if video.poster:
        urls.append(reverse("media:video_poster", args=[video.key]))
    try:
        size = video.phone_mp4.size if phone else video.mp4.size
    except OSError:  # the file is gone from storage: the lesson page says the same
        return None
    return urls, size


def lesson_offline_pack(*, rep: Any, lesson: Any) -> OfflinePack:
    """Return what saving this lesson on the rep's phone stores, or why it cannot be saved (``refused``).

    The video is the smallest HLS rendition as one MP4 (360p or less, fast start), or the MP4 (at most 720p)
    of a video not yet packaged as HLS; the size shown is that file's. A quiz with a time limit is
    not kept: its clock runs on the server, so it is taken online. A quiz lesson is kept with its open attempt
    (the answers are saved as the rep goes and sent when the connection is back).
    """
    page = reverse("learning:lesson", args=[lesson.pk])
    pack = OfflinePack(lesson_id=lesson.pk, title=lesson.title, kind=lesson.kind, page=page, urls=[page])
    if lesson.kind not in OFFLINE_KINDS:
        pack.refused = _("This kind of lesson needs a connection, so it cannot be saved on the phone.")
        return pack
    if lesson.kind in ("video", "micro"):
        video = _video_urls(lesson)
        if video is None:
            pack.refused = _("The video is still being prepared. Try again in a few minutes.")
            return pack
        pack.urls += video[0]
        pack.video_bytes = video[1]
    if lesson.kind == "scenario":
        return _scenario_pack(pack, lesson)
    if lesson.kind in ("quiz", "micro"):
        version = published_quiz(lesson)
        if version is not None and version.time_limit_minutes:
            pack.refused = _("A quiz with a time limit is taken online: its time is kept by the server.")
            return pack
        if lesson.kind == "quiz" and version is not None:
            state = lesson_quiz_state(rep=rep, lesson=lesson, version=version)
            if state.open_attempt is None:
                pack.refused = _("Start the quiz first; then it can be saved and answered without a connection.")
                return pack
            pack.urls.append(reverse("assessments:quiz_attempt", args=[lesson.pk]))
    return pack


def _scenario_pack(pack: OfflinePack, lesson: Any) -> OfflinePack:
    """A scenario lesson: its page, the player's start page, what the phone plays it from (the moments, the
    choices with the coach's commentary: teaching content, no scores or top rep's marks) and its pictures and
    phone-sized videos. Each choice made offline waits in the outbox and is scored on the server when sent."""
    from kizuna.scenarios.player import phone_media_urls
    from kizuna.scenarios.selectors import version_by_id, version_offline

    version = version_by_id(lesson.content_id) if lesson.content_id else None
    if version is None:
        pack.refused = _("This scenario is not available.")
        return pack
    query = f"?lesson={lesson.pk}"
    data, media_bytes = version_offline(version, lesson_id=lesson.pk)
    pack.urls += [
        reverse("scenarios:scenario_play", args=[version.pk]) + query,
        reverse("scenarios:scenario_offline", args=[version.pk]) + query,
        *phone_media_urls(data),
    ]
    pack.video_bytes = media_bytes
    return pack


@dataclass
class OfflineBundle:
    """Several things saved with one tap (a course's lessons, or the rep's next-up), each kept as its own pack."""

    title: str
    packs: list[OfflinePack] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        kept = [p for p in self.packs if not p.refused]
        return {
            "title": self.title,
            "packs": [p.as_json() for p in kept],
            "refused": [{"title": p.title, "reason": p.refused} for p in self.packs if p.refused],
            "bytes": sum(p.bytes for p in kept),
            "budget_bytes": OFFLINE_BUDGET_BYTES,
        }


def course_offline_bundle(*, rep: Any, course: Any) -> OfflineBundle:
    """Every lesson of the course (the version the rep is on) that works offline, and why the others do not."""
    progress = course_progress_for(user=rep, course_id=course.pk)
    version = progress.version if progress else course.latest_version
    lessons = [lesson for _module, ls in version_outline(version) for lesson in ls]
    return OfflineBundle(title=version.title, packs=[lesson_offline_pack(rep=rep, lesson=lesson) for lesson in lessons])


# How many courses of the rep's next-up have their next lesson saved with one tap.
NEXT_UP_COURSES = 6


def next_up_offline_bundle(*, rep: Any) -> OfflineBundle:
    """The next lesson of each course on the rep's next-up (required first, then what they are doing)."""
    next_up = rep_next_up(rep=rep)
    lesson_ids = [c.next_lesson.pk for c in [*next_up.urgent, *next_up.continuing, *next_up.optional] if c.next_lesson]
    bundle = OfflineBundle(title=_("Next up"))
    for lesson_id in lesson_ids[:NEXT_UP_COURSES]:
        try:
            lesson = access_lesson_for_user(rep, lesson_id)
        except Http404:
            continue
        bundle.packs.append(lesson_offline_pack(rep=rep, lesson=lesson))
    review = review_offline_pack(rep=rep)
    if review is not None:
        bundle.packs.append(review)
    bundle.packs += update_offline_packs(rep=rep)
    return bundle


# How many of the rep's unconfirmed flash updates are saved with the next-up, and what one weighs at most beside
# its video (its page and photo). A video is kept at its phone-sized rendition, as a lesson's is.
OFFLINE_UPDATES = 10
UPDATE_BYTES = 400 * 1024


def update_offline_packs(*, rep: Any) -> list[OfflinePack]:
    """The rep's flash updates not confirmed yet: read, answered and confirmed on the phone, sent later; an
    update's video is kept at its phone-sized rendition with its poster (the URLs its page plays for a rep)."""
    items = updates_for_home(rep, limit=OFFLINE_UPDATES).items
    from kizuna.updates.selectors import ready_videos

    videos = ready_videos([item.pk for item in items])
    packs = []
    for item in items:
        page = reverse("updates:update", args=[item.pk])
        pack = OfflinePack(
            lesson_id=0, key=f"update-{item.pk}", title=item.title, kind="update", page=page, urls=[page],
            page_bytes=UPDATE_BYTES,
        )  # fmt: skip
        video = videos.get(item.pk)
        if video is not None:
            try:
                pack.video_bytes = (video.phone_mp4 or video.mp4).size
            except OSError:  # gone from storage: the page shows no video either
                video = None
        if video is not None:
            pack.urls.append(reverse("updates:update_video_phone", args=[item.pk]))
            if video.poster:
                pack.urls.append(reverse("updates:update_poster", args=[item.pk]))
        packs.append(pack)
    return packs


# What a review question's page weighs at most (its text, choices and pictures; the scripts are shared).
REVIEW_CARD_BYTES = 40 * 1024


def review_offline_pack(*, rep: Any) -> OfflinePack | None:
    """Today's review questions (as many as the review shows today), to answer without a connection; None when
    nothing is due. Only the questions travel: their answers are scored on the server when they are sent."""
    due = review_due(rep)
    if not due:
        return None
    cards = [reverse("assessments:review_question", args=[item.question.pk]) for item in due]
    page = reverse("assessments:review")
    return OfflinePack(
        lesson_id=0,
        key="review",
        title=_("Today's review"),
        kind="review",
        page=page,
        urls=[page, *cards],
        page_bytes=(len(cards) + 1) * REVIEW_CARD_BYTES,
        extra={"cards": cards},
    )


def review_offline_bundle(*, rep: Any) -> OfflineBundle:
    review = review_offline_pack(rep=rep)
    return OfflineBundle(title=_("Today's review"), packs=[review] if review else [])
