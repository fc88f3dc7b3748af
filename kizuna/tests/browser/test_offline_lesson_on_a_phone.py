"""At 375×667 in Chromium: a rep saves a micro lesson on the phone, opens it without a connection, watches its
video and answers its check (its glossary terms explained offline too), and once back online the server has each statement exactly once, at the time it
happened."""

import time
from typing import Any

import pytest
from django.core.files import File
from playwright.sync_api import expect

from conftest import publish_course
from kizuna.assessments.models import Attempt
from kizuna.assessments.tests.conftest import make_bank, make_quiz
from kizuna.records.models import LessonProgress, Statement
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(page: Any, script: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Promise.resolve({script}).then(Boolean)"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(150)


@pytest.fixture
def micro_lesson(cast: Any, short_clip: Any) -> Any:
    from kizuna.media.services import video_create, video_transcode

    with short_clip.open("rb") as fh:
        video = video_create(uploaded_by=cast.author, file=File(fh, name="clip.mp4"), title="料金の動画")
    video = video_transcode(video=video)
    assert video.is_ready
    from kizuna.plain.services import term_save

    term_save(editor=cast.author, term_ja="料金体系", explanation_ja="お金をどう払うかの決まり", is_jargon=True)
    bank = make_bank(cast)
    by_type = {q.type: q for q in bank.questions.all()}
    quiz = make_quiz(cast, [by_type["single"], by_type["truefalse"]], pass_mark=100)
    course = publish_course(
        cast,
        slug="offline-course",
        title="KIZUNA の料金",
        lessons=[{"kind": "micro", "title": "30秒で分かる料金", "content_id": quiz.pk, "video": video}],
    )
    return course.latest_version.lessons.get()


OUTBOX = "KizunaOffline.all('outbox')"


def test_a_rep_learns_a_saved_lesson_offline_and_it_counts_once_back_online(
    cast: Any, live_server: Any, phone: Any, micro_lesson: Any
) -> None:
    page, base = phone, live_server.url
    lesson_url = f"{base}/learn/lessons/{micro_lesson.pk}/"
    sign_in(page, base, cast.rep_a1.email)
    page.goto(lesson_url)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller")

    # One tap, with the size shown first.
    save = page.locator("#offline-save button")
    wait_until(page, "document.querySelector('#offline-save button').textContent.includes('MB')")
    assert save.inner_text().startswith("端末に保存")
    save.click()
    wait_until(page, "document.querySelector('#offline-save').dataset.state === 'saved'")
    assert "接続がなくても開けます" in page.locator("#offline-save .offline-status").inner_text()
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)")  # the online visit's statements are in
    online_count = Statement.objects.filter(actor=cast.rep_a1).count()

    # Offline: the saved lesson opens, its video plays from the phone, and the check is answered.
    page.context.set_offline(True)
    page.goto(lesson_url)
    assert page.locator("h1").inner_text() == "30秒で分かる料金"
    wait_until(page, "document.getElementById('player').readyState >= 1")
    page.evaluate("() => { const v = document.getElementById('player'); v.muted = true; return v.play(); }")
    wait_until(page, "document.getElementById('player').ended", timeout=30)
    # A glossary term of a check question opens its explanation offline too; asking the authors waits for a
    # connection, so it is not offered.
    page.locator(".question-text .glossary-term", has_text="料金体系").click()
    sheet = page.locator("#glossary-sheet")
    expect(sheet).to_contain_text("お金をどう払うかの決まり")
    expect(sheet.locator("[data-sheet-ask]")).to_be_hidden()
    sheet.locator("[data-sheet-close]").click()
    expect(sheet).to_be_hidden()
    page.get_by_label("月額制").check()
    page.get_by_label("正しい").check()
    page.get_by_role("button", name="答え合わせをする").click()
    assert "この端末に保存しました" in page.locator(".quiz-kept").inner_text()
    wait_until(page, f"{OUTBOX}.then(items => items.length >= 4)")
    assert Statement.objects.filter(actor=cast.rep_a1).count() == online_count  # nothing reached the server
    assert not Attempt.objects.filter(rep=cast.rep_a1).exists()
    # The outbox outlives the page: reloaded offline, the saved lesson opens again and nothing was lost.
    page.reload()
    assert page.locator("h1").inner_text() == "30秒で分かる料金"
    kept = page.evaluate(f"() => {OUTBOX}")
    assert any("submit_sid" in item["body"] for item in kept)
    offline_at = max(item["at"] for item in kept)

    # Back online: everything is sent, in order, with the moments it happened.
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=30)
    attempt = Attempt.objects.get(rep=cast.rep_a1)
    assert attempt.submitted_at is not None and attempt.passed
    progress = LessonProgress.objects.get(user=cast.rep_a1, lesson=micro_lesson)
    assert progress.completed_at is not None and progress.progress > 0.9
    sent = Statement.objects.filter(actor=cast.rep_a1).exclude(stored__lt=progress.completed_at)
    assert all(st.timestamp < st.stored for st in sent)
    assert all(st.timestamp.timestamp() * 1000 <= offline_at + 1000 for st in sent)
    total = Statement.objects.filter(actor=cast.rep_a1).count()

    # The same requests again (a replay: a second tab, Background Sync and a page at once) count nothing.
    statuses = page.evaluate(
        """items => Promise.all(items.map(item => fetch(item.url, {
             method: "POST", credentials: "same-origin", headers: item.headers, body: item.body
           }).then(r => r.status)))""",
        kept,
    )
    assert all(status < 400 for status in statuses), statuses
    assert Statement.objects.filter(actor=cast.rep_a1).count() == total
    assert Attempt.objects.filter(rep=cast.rep_a1).count() == 1

    # The saved lessons page lists it with its size, and removes it.
    page.goto(f"{base}/offline/saved/")
    item = page.locator("#saved-lessons li")
    assert "30秒で分かる料金" in item.inner_text() and "MB" in item.inner_text()
    item.get_by_role("button").click()
    wait_until(page, "document.querySelectorAll('#saved-lessons li').length === 0")
    assert page.evaluate("() => caches.open('kizuna-saved').then(c => c.keys()).then(k => k.length)") == 0
