"""Where a video is shown, told by the apps that show it.

Media sits below the apps that put videos in front of people (the catalog's lessons, …), so it never
imports them: each registers a `MediaUse` in its AppConfig.ready(). The media app asks them who may
watch a video, before deleting one, whether anything still shows it, and where an uploader may use it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MediaUse:
    name: str
    #: (video id) -> the titles of what shows the video, drafts included, in a stable order.
    shown_in: Callable[[int], list[str]]
    #: (person, video id) -> whether this use lets the person watch it (e.g. a lesson they may open).
    lets_watch: Callable[[Any, int], bool]
    #: (person, video id) -> (label, address) of a page that puts the video to this use, or None for this person.
    use_link: Callable[[Any, int], tuple[str, str] | None] | None = None


_USES: dict[str, MediaUse] = {}


def register_media_use(use: MediaUse) -> None:
    _USES[use.name] = use


def media_uses() -> list[MediaUse]:
    return [_USES[name] for name in sorted(_USES)]
