"""The foundation's main path in a real browser at 375×667: a rep learns, their manager sees it, partner B cannot."""

import gzip
import time
from typing import Any

import pytest
from django.core.files import File

from conftest import publish_course
from kizuna.tests.browser_support import sign_in


def wait_until(page: Any, script: str, timeout: float = 20.0) -> None:
    """Poll a JS expression (wait_for_function would need eval, which our CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({script})"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course_with_video(cast: Any, article_course: Any, short_clip: Any) -> Any:
    from kizuna.media.services import video_create, video_transcode

    with short_clip.open("rb") as fh:
        video = video_create(uploaded_by=cast.author, file=File(fh, name="clip.mp4"), title="紹介動画")
    video = video_transcode(video=video)
    assert video.is_ready
    return publish_course(
        cast,
        slug="video-course",
        title="動画で学ぶ製品紹介",
        lessons=[{"kind": "video", "title": "3分でわかる製品", "video": video}],
        due_in_days=5,
    )


def test_a_rep_reads_and_watches_and_their_manager_sees_it(cast, live_server, phone, article_course, course_with_video):
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    # Light on a slow network: the home page and what it loads, before any media, under 100 KB on the wire (a server
    # sends pages and static files compressed: gzip here stands for it, brotli does better); nothing third-party.
    loaded = []

    def on_response(response: Any) -> None:
        loaded.append((response.url, len(gzip.compress(response.body())) if response.ok else 0))

    page.on("response", on_response)
    page.goto(f"{base}/")
    page.wait_for_load_state("networkidle")
    assert all(url.startswith(base) for url, _size in loaded), loaded
    assert sum(size for _url, size in loaded) < 100_000, loaded
    page.remove_listener("response", on_response)
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_text("製品の基本").first.is_visible()
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Article lessons: open the course, read, mark as done, twice.
    page.get_by_text("製品の基本").first.click()
    page.wait_for_load_state()
    if "/learn/courses/" in page.url:
        page.locator("a.btn.block").first.click()
    page.get_by_role("button", name="完了にする").click()
    page.get_by_role("button", name="完了にする").click()
    page.wait_for_load_state()

    # The video lesson: seeking to the end does not complete it; watching it does.
    lesson = course_with_video.latest_version.lessons.get()
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    wait_until(page, "document.getElementById('player').readyState >= 1")
    page.evaluate(
        "(() => { const v = document.getElementById('player'); v.muted = true; v.currentTime = v.duration - 0.2; })()"
    )
    page.wait_for_timeout(500)
    assert not page.locator("#lesson-done .badge.done").count()
    page.evaluate("(() => { const v = document.getElementById('player'); v.currentTime = 0; v.play(); })()")
    wait_until(page, "document.getElementById('player').ended")
    page.locator("#lesson-done .badge.done").wait_for(timeout=10000)
    # The player spoke the xAPI Video Profile, and every statement of the video is valid xAPI.
    from kizuna.records.models import Statement
    from kizuna.records.services import statement_to_xapi
    from kizuna.records.tests.xapi_validation import xapi_problems

    served = [statement_to_xapi(st) for st in Statement.objects.filter(lesson=lesson).select_related("actor")]
    verbs = {data["verb"]["id"].rsplit("/", 1)[-1] for data in served}
    assert {"initialized", "played", "paused", "completed"} <= verbs and "progressed" not in verbs
    assert [xapi_problems(data) for data in served if xapi_problems(data)] == []

    # Their own progress.
    page.goto(f"{base}/me/progress/")
    assert "2 / 2" in page.locator(".summary").inner_text()

    # Partner A's manager sees it on the dashboard.
    manager = phone.context.browser.new_context(viewport={"width": 375, "height": 667}, locale="ja-JP")
    mpage = manager.new_page()
    sign_in(mpage, base, cast.manager_a.email)
    mpage.goto(f"{base}/partner/dashboard/")
    assert cast.rep_a1.name in mpage.content()
    mpage.goto(f"{base}/reps/{cast.rep_a1.pk}/")
    assert "動画で学ぶ製品紹介" in mpage.content()
    manager.close()

    # Partner B's manager cannot open that rep.
    other = phone.context.browser.new_context(viewport={"width": 375, "height": 667}, locale="ja-JP")
    opage = other.new_page()
    sign_in(opage, base, cast.manager_b.email)
    response = opage.goto(f"{base}/reps/{cast.rep_a1.pk}/")
    assert response.status == 404
    assert cast.rep_a1.name not in opage.content()
    other.close()
