"""What a rep may keep on their phone for offline use: a lesson's offline pack (its page, its video and their
size), and the limits the browser side keeps to."""

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.assessments.selectors import lesson_quiz_state, published_quiz

# The most a phone keeps of saved lessons (Cache Storage); saving more removes the oldest saved lessons first.
OFFLINE_BUDGET_BYTES = 300 * 1024 * 1024
# What a lesson's page and its scripts and styles weigh at most, beside its video (the page budget is 100 KB).
PAGE_ALLOWANCE_BYTES = 300 * 1024
# The kinds that work offline: what the rep does in them is queued on the phone and sent later.
OFFLINE_KINDS = ("article", "video", "micro", "quiz")


@dataclass
class OfflinePack:
    lesson_id: int
    title: str
    kind: str
    page: str
    urls: list[str] = field(default_factory=list)
    video_bytes: int = 0
    refused: str = ""

    @property
    def bytes(self) -> int:
        return self.video_bytes + PAGE_ALLOWANCE_BYTES

    def as_json(self) -> dict[str, Any]:
        return {
            "lesson": self.lesson_id,
            "title": self.title,
            "kind": self.kind,
            "page": self.page,
            "urls": self.urls,
            "bytes": self.bytes,
            "budget_bytes": OFFLINE_BUDGET_BYTES,
            "refused": self.refused,
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
