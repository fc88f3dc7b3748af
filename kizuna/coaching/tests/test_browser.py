"""The main path in a real browser at 375×667: a rep films a take with the (fake) camera and hands it in,
a coach pins a comment to a second and scores the rubric, and the rep sees the comment at that second."""

import time
from typing import Any

import pytest

from kizuna.coaching.models import Submission
from kizuna.tests.browser_support import PHONE, sign_in

from .helpers import roleplay_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(page: Any, script: str, timeout: float = 30.0) -> None:
    """Poll a JS expression (wait_for_function would need eval, which our CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({script})"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_rep_films_a_take_and_a_coach_comments_at_a_second(
    cast: Any, live_server: Any, phone: Any, browser: Any
) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/roleplay/")
    page.get_by_text(roleplay.title).first.click()
    page.get_by_role("link", name="ロープレを撮影する").click()
    # The recorder script is deferred: a click before the page has loaded would find no listener.
    page.wait_for_url("**/record/**")
    page.wait_for_load_state("load")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="● 録画開始").click()
    wait_until(
        page,
        "document.getElementById('rec-preview').srcObject && document.getElementById('rec-preview').srcObject.active",
    )
    page.wait_for_timeout(3000)
    page.get_by_role("button", name="■ 停止").click()
    wait_until(page, "!document.getElementById('rec-submit').disabled")
    assert "録画しました" in page.locator("#rec-status").inner_text()
    page.get_by_label("このロープレを模範として他の人に見せることに同意します").check()
    page.get_by_role("button", name="提出").click()
    page.wait_for_url("**/roleplay/takes/**", timeout=60000)
    take = Submission.objects.select_related("video").get(rep=cast.rep_a1)
    assert take.video.is_ready and take.video.duration_seconds >= 2
    assert take.exemplary_consent
    assert page.locator("#take-video").count() == 1
    assert no_sideways_scroll(page)

    coach_context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    coach_context.set_default_timeout(15000)
    coach = coach_context.new_page()
    sign_in(coach, base, cast.coach.email)
    coach.goto(f"{base}/roleplay/")
    coach.locator(f"a[href='/roleplay/takes/{take.pk}/']").first.click()
    # The click only starts the navigation: wait for the take's page before reading its video.
    coach.wait_for_url(f"**/roleplay/takes/{take.pk}/")
    coach.locator("#take-video").wait_for(state="attached")
    wait_until(coach, "document.getElementById('take-video').readyState >= 1")
    coach.evaluate("() => { const v = document.getElementById('take-video'); v.currentTime = 1.4; v.pause(); }")
    wait_until(coach, "document.getElementById('comment-time').textContent === '0:01'")
    coach.fill("#comment-body", "ここで相手の目を見て話せています")
    coach.get_by_role("button", name="コメント", exact=True).click()
    coach.wait_for_load_state()
    assert coach.locator(".comment").filter(has_text="ここで相手の目を見て話せています").count() == 1
    criteria = list(roleplay.criteria.all())
    for criterion in criteria:
        coach.locator(f"input[name=level_{criterion.pk}][value='{criterion.max_level}']").check()
        coach.fill(f"textarea[name=reason_{criterion.pk}]", "はっきり伝わりました")
    coach.fill("textarea[name=feedback]", "自信を持って話せていて、とても良いです。")
    coach.get_by_role("button", name="レビューを送信").click()
    coach.wait_for_load_state()
    assert coach.get_by_text("レビューを送信しました").count() == 1
    coach_context.close()
    take.refresh_from_db()
    assert take.passed is True and take.score == 1.0

    page.goto(f"{base}/roleplay/takes/{take.pk}/")
    assert page.get_by_text("合格").first.is_visible()
    assert page.get_by_text("自信を持って話せていて、とても良いです。").is_visible()
    comment = page.locator(".comment").filter(has_text="ここで相手の目を見て話せています")
    comment.get_by_role("button", name="▶ 0:01").click()
    wait_until(page, "Math.floor(document.getElementById('take-video').currentTime) === 1")
    assert no_sideways_scroll(page)
