"""In a real browser on a phone (375×667, Japanese): a rep answers the interview by voice only (MediaRecorder with
the microphone), sends it through the resumable upload, and adds the transcript; the story keeps a playable video."""

import pytest

from kizuna.stories import services
from kizuna.stories.models import SuccessStory
from kizuna.tests.browser_support import PHONE, sign_in

from .helpers import nominated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_records_the_interview_with_the_microphone_only_and_writes_the_transcript(cast, live_server, browser):
    story = nominated(cast)
    services.story_consent(story=story, rep=cast.rep_a1, consent=True, credit="name")
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(45000)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/stories/{story.pk}/")
    page.wait_for_load_state("load")  # the recorder script is deferred
    page.locator("#recorder-box summary").click()
    page.locator("#rec-start-voice").click()
    page.wait_for_function("() => !document.getElementById('rec-stop').hidden")
    assert "声を録音しています" in page.locator("#rec-status").inner_text()
    page.wait_for_timeout(2500)
    page.locator("#rec-stop").click()
    page.wait_for_function("() => !document.getElementById('rec-submit').disabled")
    page.locator("#rec-submit").click()
    page.wait_for_url("**#interview", timeout=90000)
    story.refresh_from_db()
    assert story.voice_only and story.video is not None
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("textarea[name=transcript]", "断られた理由を、もう一度だけ聞き直しました。")
    page.locator("#interview-form button[type=submit]").click()
    page.wait_for_load_state()
    story.refresh_from_db()
    assert story.status == SuccessStory.Status.INTERVIEWED
    assert story.transcript == "断られた理由を、もう一度だけ聞き直しました。"
