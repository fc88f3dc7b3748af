"""At 375×667 in Chromium: a rep saves their next-up (with a flash update) with one tap, reads the update,
answers its check question and confirms it without a connection, and once back online the server has the read,
the answer and the confirmation exactly once, at the moments they happened; the phone shows the verdict where the
rep is."""

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from kizuna.records.models import Statement
from kizuna.tests.browser_support import sign_in
from kizuna.updates.models import Receipt
from kizuna.updates.tests.conftest import post_update, question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTBOX = "KizunaOffline.all('outbox')"


def wait_until(page: Any, script: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Promise.resolve({script}).then(Boolean)"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(150)


def test_a_rep_reads_answers_and_confirms_a_saved_update_offline_counted_once(
    cast: Any, live_server: Any, phone: Any
) -> None:
    update = post_update(cast, title="新料金プランのお知らせ", question=question(correct=2))
    page, base = phone, live_server.url
    page.context.set_default_timeout(45000)  # a loaded machine serves pages slowly
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller")
    wait_until(page, "document.querySelector('#offline-bundle button').textContent.includes('MB')")
    page.locator("#offline-bundle button").click()
    wait_until(page, "document.querySelector('#offline-bundle').dataset.state === 'saved'")
    assert not Receipt.objects.filter(update=update, rep=cast.rep_a1).exists()  # saving is not reading

    page.context.set_offline(True)
    page.goto(f"{base}/updates/{update.pk}/")
    assert page.locator("h1").inner_text() == "新料金プランのお知らせ"
    page.get_by_label("300円").check()
    page.get_by_role("button", name="回答する").click()
    assert "接続が戻ったときに答え合わせ" in page.locator(".flash-question .offline-kept").inner_text()
    page.locator(".flash-ack button").click()
    assert "確認しました" in page.locator(".flash-ack .offline-kept").inner_text()
    wait_until(page, f"{OUTBOX}.then(items => items.length === 3)")
    kept = page.evaluate(f"() => {OUTBOX}")
    page.reload()  # reopened offline: nothing is done twice
    expect(page.locator(".flash-ack form")).to_be_hidden()  # once the page has read the outbox
    assert page.evaluate(f"() => {OUTBOX}.then(items => items.length)") == 3
    assert not Receipt.objects.filter(update=update, rep=cast.rep_a1).exists()

    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=30)
    receipt = Receipt.objects.get(update=update, rep=cast.rep_a1)
    assert receipt.answer == 2 and receipt.answer_correct and receipt.acknowledged_at is not None
    assert receipt.seen_at <= receipt.answered_at <= receipt.acknowledged_at
    at = {item["id"].split("-")[0]: item["at"] for item in kept}
    assert abs(receipt.acknowledged_at.timestamp() * 1000 - at["ack"]) < 1000
    statements = Statement.objects.filter(actor=cast.rep_a1, object_iri__contains=str(update.key))
    assert statements.count() == 3
    statuses = page.evaluate(
        """items => Promise.all(items.map(item => fetch(item.url, {
             method: "POST", credentials: "same-origin", headers: item.headers, body: item.body
           }).then(r => r.status)))""",
        kept,
    )
    assert all(status == 200 for status in statuses), statuses
    assert statements.count() == 3

    # The verdict, once, where the rep is (the layout's notice on the update page itself), not again after.
    expect(page.locator("#outbox-notice")).to_be_visible()
    assert "✓ 正解:新料金プランのお知らせ" in page.locator("#outbox-notice .offline-results").inner_text()
    page.goto(f"{base}/")
    page.evaluate("() => KizunaNotice.show()")
    expect(page.locator("#outbox-notice")).to_be_hidden()
