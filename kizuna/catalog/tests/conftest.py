"""Helpers for the catalog's view tests: sign a cast member in, make videos without ffmpeg."""

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def make_video(cast: Any) -> Callable[..., Any]:
    """Return a function that stores a video row in a given state (the transcode pipeline is media's to test)."""
    from kizuna.media.models import Video

    def make(*, title: str = "商談の始め方", status: str = Video.Status.READY) -> Any:
        return Video.objects.create(
            title=title, uploaded_by=cast.author, original="videos/test/original", status=status
        )

    return make
