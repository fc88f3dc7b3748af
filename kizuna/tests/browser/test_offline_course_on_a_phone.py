"""At 375×667 in Chromium: a rep saves a whole course with one tap from its page (the size shown first), reads
a lesson without a connection and marks it done, and once back online the server counts it exactly once."""

import time
from typing import Any

import pytest

from conftest import publish_course
from kizuna.records import vocab
from kizuna.records.models import LessonProgress, Statement
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTBOX = "KizunaOffline.all('outbox')"


def wait_until(page: Any, script: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Promise.resolve({script}).then(Boolean)"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(150)


def test_a_rep_saves_a_course_with_one_tap_and_finishes_a_lesson_offline_counted_once(
    cast: Any, live_server: Any, phone: Any
) -> None:
    course = publish_course(
        cast,
        slug="offline-bundle",
        title="電車で読む",
        lessons=[
            {"kind": "article", "title": "料金の基本", "body": "**料金**は月額制です。"},
            {"kind": "article", "title": "解約の流れ", "body": "解約は月末締めです。"},
        ],
    )
    first, second = course.latest_version.lessons.order_by("position")
    page, base = phone, live_server.url
    page.context.set_default_timeout(45000)  # a loaded machine serves pages slowly
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/courses/{course.pk}/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller")

    # One tap, with the count and size shown first.
    button = page.locator("#offline-bundle button")
    wait_until(page, "document.querySelector('#offline-bundle button').textContent.includes('MB')")
    assert "2件" in button.inner_text()
    button.click()
    wait_until(page, "document.querySelector('#offline-bundle').dataset.state === 'saved'")
    assert "2件をこの端末に保存しました" in page.locator("#offline-bundle .offline-status").inner_text()
    assert sorted(page.evaluate("() => KizunaOffline.all('lessons').then(ls => ls.map(l => l.id))")) == sorted(
        [first.pk, second.pk]
    )

    # The rep home offers the next-up the same way (its next lesson: the course's first).
    page.goto(f"{base}/")
    wait_until(page, "document.querySelector('#offline-bundle button').textContent.includes('1件')")
    assert "1件" in page.locator("#offline-bundle .offline-status").inner_text()  # saved already

    # Offline: the second lesson opens from the phone and is marked done.
    page.context.set_offline(True)
    page.goto(f"{base}/learn/lessons/{second.pk}/")
    assert page.locator("h1").inner_text() == "解約の流れ"
    page.locator("#lesson-done button").click()
    assert "接続が戻ったら送信します" in page.locator(".offline-kept").inner_text()
    wait_until(page, f"{OUTBOX}.then(items => items.length >= 1)")
    assert not LessonProgress.objects.filter(user=cast.rep_a1, lesson=second, completed_at__isnull=False).exists()
    kept = page.evaluate(f"() => {OUTBOX}")

    # Back online: sent once, at the moment it happened; sending it again counts nothing.
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=30)
    completed = Statement.objects.filter(actor=cast.rep_a1, lesson=second, verb=vocab.COMPLETED.iri)
    assert completed.count() == 1 and completed.get().timestamp < completed.get().stored
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=second).completed_at is not None
    statuses = page.evaluate(
        """items => Promise.all(items.map(item => fetch(item.url, {
             method: "POST", credentials: "same-origin", headers: item.headers, body: item.body
           }).then(r => r.status)))""",
        kept,
    )
    assert all(status < 400 for status in statuses), statuses
    assert completed.count() == 1
