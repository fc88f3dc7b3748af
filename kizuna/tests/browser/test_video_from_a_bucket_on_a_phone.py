"""With files in a bucket, a phone plays and seeks a take straight from the storage (range requests to the
S3 server), while the page only holds the app's access-checked link."""

import time
from typing import Any

import pytest

from kizuna.coaching.models import Submission
from kizuna.coaching.tests.helpers import hand_in, roleplay_for
from kizuna.ops.storage_url import storage_origins
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(page: Any, script: str, timeout: float = 30.0) -> None:
    """Poll a JS expression (wait_for_function would need eval, which our CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({script})"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


def test_a_coach_on_a_phone_plays_and_seeks_a_take_served_from_the_bucket(
    cast: Any, live_server: Any, phone: Any, s3_bucket: Any, s3_server: Any, settings: Any
) -> None:
    # In a deployment both come from STORAGE_URL at start; here the bucket is switched on per test.
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {
        **policy["DIRECTIVES"],
        "media-src": [*policy["DIRECTIVES"]["media-src"], *storage_origins(settings.STORAGES["default"])],
        "img-src": [*policy["DIRECTIVES"]["img-src"], *storage_origins(settings.STORAGES["default"])],
    }
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    hand_in(cast.rep_a1, roleplay_for(cast, peer_count=0))  # transcoded at commit (tasks run at once here)
    take = Submission.objects.select_related("video").get()
    assert take.video.is_ready, take.video.error

    from_bucket: list[tuple[int, str]] = []
    phone.on(
        "response",
        lambda r: (
            from_bucket.append((r.status, r.headers.get("content-range", "")))
            if r.url.startswith(s3_server.endpoint) and ".mp4" in r.url
            else None
        ),
    )
    sign_in(phone, live_server.url, cast.coach.email)
    phone.goto(f"{live_server.url}/roleplay/takes/{take.pk}/")
    video = phone.locator("#take-video")
    assert video.get_attribute("src").startswith("/")  # the app's own link, never a signed bucket URL
    wait_until(phone, "document.getElementById('take-video').readyState >= 1")
    phone.evaluate("() => { const v = document.getElementById('take-video'); v.currentTime = 1.5; v.pause(); }")
    wait_until(phone, "document.getElementById('take-video').readyState >= 2")
    assert abs(phone.evaluate("() => document.getElementById('take-video').currentTime") - 1.5) < 0.2
    assert phone.evaluate("() => document.getElementById('take-video').error") is None
    # The bytes came from the S3 server, in ranges.
    assert from_bucket and all(status in (200, 206) for status, _range in from_bucket)
    assert any(status == 206 and content_range.startswith("bytes ") for status, content_range in from_bucket)
