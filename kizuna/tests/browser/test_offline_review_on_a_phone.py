"""At 375×667 in Chromium: a rep saves today's review with one tap, answers its questions without a connection
(one right, one wrong), and once back online each answer is scored on the server exactly once, rescheduled as
of the moment it was given, and the phone shows whether it was right."""

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kizuna.assessments.models import ReviewCard
from kizuna.assessments.tests.conftest import make_bank, make_quiz, quiz_lesson
from kizuna.assessments.tests.test_review import take_quiz
from kizuna.records.models import Statement
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTBOX = "KizunaOffline.all('outbox')"


def wait_until(page: Any, script: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Promise.resolve({script}).then(Boolean)"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(150)


def review_statements(rep: Any) -> Any:
    return Statement.objects.filter(actor=rep, verb__endswith="/answered", lesson__isnull=True)


def test_a_rep_answers_todays_review_offline_and_it_is_scored_once_back_online(
    cast: Any, live_server: Any, phone: Any
) -> None:
    from kizuna.assessments.kinds import register_kinds

    register_kinds()
    by_type = {q.type: q for q in make_bank(cast).questions.all()}
    single, truefalse = by_type["single"], by_type["truefalse"]
    lesson = quiz_lesson(cast, make_quiz(cast, [single, truefalse], pass_mark=50))
    take_quiz(cast, lesson, cast.rep_a1, [(single, {"choice": "1"})], at=timezone.now() - timedelta(days=10))
    right = {single.pk: single.data["options"][0]["id"], truefalse.pk: "true"}
    wrong = {single.pk: single.data["options"][1]["id"], truefalse.pk: "false"}

    page, base = phone, live_server.url
    page.context.set_default_timeout(45000)  # a loaded machine serves pages slowly
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/review/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller")
    button = page.locator("#offline-bundle button")
    wait_until(page, "document.querySelector('#offline-bundle button').textContent.includes('MB')")
    assert "1件" in button.inner_text()
    button.click()
    wait_until(page, "document.querySelector('#offline-bundle').dataset.state === 'saved'")

    # Offline: the first question right, then the next one (one tap away) wrong.
    page.context.set_offline(True)
    page.goto(f"{base}/review/")
    answered = []
    for answers in (right, wrong):
        action = page.locator("#review-form").get_attribute("action")
        question_id = int(action.rstrip("/").rsplit("/", 1)[1])
        answered.append(question_id)
        page.locator(f"#review-form input[name=answer][value='{answers[question_id]}']").check()
        page.locator("#review-form button[type=submit]").click()
        assert "接続が戻ったときに採点" in page.locator(".quiz-kept").inner_text()
        if len(answered) == 1:
            page.locator(".review-next a").click()
    assert "最後" in page.locator(".review-next").inner_text()
    assert sorted(answered) == sorted(right)
    wait_until(page, f"{OUTBOX}.then(items => items.length === 2)")
    offline_at = max(item["at"] for item in page.evaluate(f"() => {OUTBOX}"))
    kept = page.evaluate(f"() => {OUTBOX}")
    # Reopened offline, an answered question is not answered a second time.
    page.reload()
    # The page reads the phone's outbox after it loads: wait for that, not for the first paint.
    expect(page.locator("#review-form")).to_be_hidden()
    expect(page.locator(".quiz-kept")).to_be_visible()
    assert not review_statements(cast.rep_a1).exists()

    # Back online: scored once each, at the phone's time, and the phone shows the verdicts.
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=30)
    # Shown where the rep is (the layout's notice on the saved review card they are on).
    expect(page.locator("#outbox-notice")).to_be_visible()
    results = page.locator("#outbox-notice .offline-results").inner_text()
    assert "✓ 正解" in results and "✗ 不正解" in results
    assert review_statements(cast.rep_a1).count() == 2
    for card in ReviewCard.objects.filter(rep=cast.rep_a1):
        assert card.reviews == 2
        assert card.last_review.timestamp() * 1000 <= offline_at + 1000
        assert card.due > timezone.now()  # rescheduled: no longer due now
    statuses = page.evaluate(
        """items => Promise.all(items.map(item => fetch(item.url, {
             method: "POST", credentials: "same-origin", headers: item.headers, body: item.body
           }).then(r => r.status)))""",
        kept,
    )
    assert all(status == 200 for status in statuses), statuses
    assert review_statements(cast.rep_a1).count() == 2
    assert [c.reviews for c in ReviewCard.objects.filter(rep=cast.rep_a1)] == [2, 2]
