"""At 375×667 in Chromium: a rep saves a course with a scenario lesson, plays the scenario without a connection
(each choice shows the coach's commentary, a reload goes on where they were and plays nothing twice), and once
back online the server has the start and every choice exactly once, at the moments they happened; the verdict
shows wherever the rep is, and the lesson shows the play."""

import time
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from kizuna.records.models import LessonProgress, Statement
from kizuna.scenarios import vocab
from kizuna.scenarios.models import Attempt
from kizuna.scenarios.tests.conftest import complaint, product, scenario_lesson  # noqa: F401  (fixtures)
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The scenario's own requests in the outbox (the saved lesson page may queue its player's statements too).
OUTBOX = "KizunaOffline.all('outbox').then(items => items.filter(i => i.url.includes('/offline/step/')))"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


def wait_until(page: Any, script: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Promise.resolve({script}).then(Boolean)"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(150)


def fits_the_phone(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def choose(page: Any, text: str) -> str:
    """Tap a choice, read the coach's commentary, tap 「次へ」 (or 「結果を見る」)."""
    page.locator(".scenario-choice", has_text=text).click()
    expect(page.locator("#commentary")).to_be_visible()
    assert page.locator(".scenario-choice").count() == 0 and fits_the_phone(page)
    commentary = page.locator("#commentary").inner_text()
    page.locator("#next").click()
    return commentary


def test_a_rep_plays_a_saved_scenario_offline_and_it_counts_once_when_back_online(
    cast: Any,
    scenario_lesson: Any,  # noqa: F811 (a fixture imported for pytest)
    live_server: Any,
    phone: Any,  # noqa: F811
) -> None:
    lesson = scenario_lesson
    page, base = phone, live_server.url
    page.context.set_default_timeout(90000)  # a loaded machine serves pages slowly
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/courses/{lesson.version.course_id}/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller")
    wait_until(page, "document.querySelector('#offline-bundle button').textContent.includes('MB')")
    page.locator("#offline-bundle button").click()
    wait_until(page, "document.querySelector('#offline-bundle').dataset.state === 'saved'")
    before = Statement.objects.count()

    # Offline: the lesson opens from the phone, and so does the scenario's start page.
    page.context.set_offline(True)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.locator("#scenario-start").click()
    page.wait_for_load_state()
    page.locator("#start").click()
    expect(page.locator("#moment")).to_be_visible()
    assert page.locator("#progress progress").get_attribute("value") == "0"
    commentary = choose(page, "「申し訳ございません。すぐに確認いたします。」")
    assert "謝ること自体は悪くありません" in commentary and "この端末に記録しました" in commentary
    choose(page, "今日中に間に合わせる")
    wait_until(page, f"{OUTBOX}.then(items => items.length === 3)")  # the start and two choices

    # Reopened offline: on from the third moment; the first two are not offered again.
    page.reload()
    expect(page.locator("#moment")).to_be_visible()
    assert page.locator("#progress progress").get_attribute("value") == "2"
    assert page.locator(".scenario-choice", has_text="今日中に間に合わせる").count() == 0
    for text in ["原因の見当がつきました", "先月のことも教えていただけますか"]:
        choose(page, text)
    choose(page, "おめでとうございます")
    expect(page.locator("#ending")).to_be_visible()
    assert "受注" in page.locator("#ending").inner_text() and fits_the_phone(page)
    wait_until(page, f"{OUTBOX}.then(items => items.length === 6)")
    page.reload()  # the end again, nothing sent twice
    expect(page.locator("#ending")).to_be_visible()
    kept = page.evaluate(f"() => {OUTBOX}")
    assert len(kept) == 6 and Statement.objects.count() == before

    # Back online: everything sent, each once, at the moment it happened.
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=40)
    attempt = Attempt.objects.get(rep=cast.rep_a1)
    assert attempt.is_finished and attempt.lesson_id == lesson.pk and len(attempt.path) == 5
    bodies = [parse_qs(item["body"]) for item in kept]
    choices = [b for b in bodies if "statement_id" in b]
    answered = {str(s.id): s for s in Statement.objects.filter(actor=cast.rep_a1, verb=ANSWERED)}
    assert sorted(answered) == sorted(b["statement_id"][0] for b in choices)
    for body in choices:
        at = datetime.fromisoformat(body["at"][0].replace("Z", "+00:00"))
        assert abs((answered[body["statement_id"][0]].timestamp - at).total_seconds()) < 0.01
    started = Statement.objects.get(actor=cast.rep_a1, verb=vocab.ATTEMPTED.iri)
    assert str(started.id) == bodies[0]["start"][0] and started.timestamp < started.stored
    last_at = datetime.fromisoformat(choices[-1]["at"][0].replace("Z", "+00:00"))
    completed_at = LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at
    # Completed offline, at the last choice or at the saved lesson page's own report a moment after it (whichever
    # the server hears first), never at the time of sending.
    assert completed_at is not None and -0.01 < (completed_at - last_at).total_seconds() < 5
    assert completed_at < started.stored
    count = Statement.objects.count()
    statuses = page.evaluate(
        """items => Promise.all(items.map(item => fetch(item.url, {
             method: "POST", credentials: "same-origin", headers: item.headers, body: item.body
           }).then(r => r.status)))""",
        kept,
    )
    assert all(status == 200 for status in statuses), statuses
    assert Statement.objects.count() == count

    # The verdict shows where the rep is (the layout's notice), and the lesson shows the play.
    expect(page.locator("#outbox-notice")).to_be_visible()
    assert "受注" in page.locator("#outbox-notice").inner_text()
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    assert "受注" in page.locator(".scenario-card").inner_text()
