"""A lesson's video packaged as HLS plays in Chromium on a phone (375×667): on the first visit the phone MP4 (hls.js
is fetched after the first frame), then the master playlist through hls.js,
the smallest rendition first, every playlist and segment from the app's access-checked links, and the player's
xAPI statements (played, paused) as with the MP4. Without Media Source Extensions, the browser's own HLS plays it."""

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File

from conftest import publish_course
from kizuna.tests.browser_support import sign_in
from kizuna.tests.stored_support import signed_bucket_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(page: Any, script: str, timeout: float = 30.0) -> None:
    """Poll a JS expression (wait_for_function would need eval, which our CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({script})"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


@pytest.fixture(scope="module")
def clip_540p(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hls-clip") / "clip540.mp4"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=960x540:rate=10",
         "-f", "lavfi", "-i", "sine=frequency=440", "-t", "6", "-c:v", "libx264", "-preset", "ultrafast",
         "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)],
        check=True, timeout=120,
    )  # fmt: skip
    return path


@pytest.fixture
def hls_lesson(cast: Any, clip_540p: Path) -> Any:
    from kizuna.media.hls import video_hls_package
    from kizuna.media.services import video_create, video_transcode

    with clip_540p.open("rb") as fh:
        video = video_create(uploaded_by=cast.author, file=File(fh, name="clip.mp4"), title="紹介動画")
    video = video_hls_package(video=video_transcode(video=video))
    assert video.hls_master, video.hls_error
    course = publish_course(
        cast,
        slug="hls-course",
        title="動画で学ぶ製品紹介",
        lessons=[{"kind": "video", "title": "製品", "video": video}],
    )
    return course.latest_version.lessons.get()


def _verbs(lesson: Any) -> set[str]:
    from kizuna.records.models import Statement
    from kizuna.records.services import statement_to_xapi

    statements = Statement.objects.filter(lesson=lesson).select_related("actor")
    return {statement_to_xapi(st)["verb"]["id"].rsplit("/", 1)[-1] for st in statements}


def test_an_hls_lesson_plays_in_chromium_with_hls_js_and_reports_played(
    cast: Any, live_server: Any, phone: Any, hls_lesson: Any
) -> None:
    phone.context.set_default_timeout(60000)  # a shared, busy machine
    asked: list[str] = []

    def seen(request: Any) -> None:
        if "/videos/" in request.url or "hls.light" in request.url:
            asked.append(request.url.removeprefix(live_server.url))

    phone.on("request", seen)
    sign_in(phone, live_server.url, cast.rep_a1.email)
    key = hls_lesson.video.key

    # First visit: hls.js is not on the phone, so the first play is the phone MP4 (no 120 KB script before the
    # first frame); hls.js comes after the video started, and this page goes on with the MP4.
    phone.goto(f"{live_server.url}/learn/lessons/{hls_lesson.pk}/")
    wait_until(phone, "document.getElementById('player').dataset.engine === 'mp4'")
    phone.evaluate("() => { const v = document.getElementById('player'); v.muted = true; v.play(); }")
    wait_until(phone, "document.getElementById('player').currentTime > 1")
    assert f"/videos/{key}/phone" in asked
    assert not any("hls.light" in url or "/hls/" in url for url in asked)  # nothing of HLS before the frame
    wait_until(phone, "window.localStorage.getItem('kizuna:hlsjs')")  # fetched once the video played
    assert phone.evaluate("() => document.getElementById('player').dataset.engine") == "mp4"
    phone.evaluate("() => document.getElementById('player').pause()")

    # Every later visit: hls.js is loaded first and plays the master playlist, smallest rendition first.
    asked.clear()
    phone.goto(f"{live_server.url}/learn/lessons/{hls_lesson.pk}/")
    wait_until(phone, "document.getElementById('player').dataset.engine === 'hls.js'")
    wait_until(phone, "document.getElementById('player').readyState >= 1")
    phone.evaluate("() => { const v = document.getElementById('player'); v.muted = true; v.play(); }")
    wait_until(phone, "document.getElementById('player').currentTime > 1.5")
    assert phone.evaluate("() => document.getElementById('player').getVideoPlaybackQuality().totalVideoFrames") > 0
    assert phone.evaluate("() => document.getElementById('player').error") is None
    phone.evaluate("() => document.getElementById('player').pause()")

    assert f"/videos/{key}/hls/master.m3u8" in asked
    assert f"/videos/{key}/hls/360p/index.m3u8" in asked  # the smallest rendition first: a fast start
    # Segments come from the app's access-checked links, or on a bucket straight from it by signed URLs.
    segments = [url for url in asked if f"videos/{key}/hls/360p/seg-" in url]
    assert segments and all(url.startswith(f"/videos/{key}/") or signed_bucket_url(url) for url in segments)
    assert f"/videos/{key}/phone" not in asked  # the MP4 fallback was not fetched this time

    deadline = time.monotonic() + 15
    while not {"initialized", "played", "paused"} <= _verbs(hls_lesson):
        assert time.monotonic() < deadline, _verbs(hls_lesson)
        time.sleep(0.2)


def test_without_media_source_extensions_chromium_plays_the_master_playlist_itself(
    cast: Any, live_server: Any, phone: Any, hls_lesson: Any
) -> None:
    phone.context.set_default_timeout(60000)
    phone.add_init_script("delete window.MediaSource; delete window.ManagedMediaSource;")
    sign_in(phone, live_server.url, cast.rep_a1.email)
    phone.goto(f"{live_server.url}/learn/lessons/{hls_lesson.pk}/")
    wait_until(phone, "document.getElementById('player').dataset.engine === 'native'")
    assert phone.locator("#player").evaluate("v => v.src").endswith(f"/videos/{hls_lesson.video.key}/hls/master.m3u8")
    wait_until(phone, "document.getElementById('player').readyState >= 1")
    phone.evaluate("() => { const v = document.getElementById('player'); v.muted = true; v.play(); }")
    wait_until(phone, "document.getElementById('player').currentTime > 1")
    deadline = time.monotonic() + 15
    while "played" not in _verbs(hls_lesson):
        assert time.monotonic() < deadline, _verbs(hls_lesson)
        time.sleep(0.2)
