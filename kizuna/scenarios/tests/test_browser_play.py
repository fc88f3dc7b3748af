"""A rep plays a scenario lesson on a phone (375×667) to an end and sees their path beside the top rep's."""

import pytest

from kizuna.scenarios.models import Attempt
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def choose(page, text):
    """Tap a choice, read the commentary, and tap 「次へ」 (or 「結果を見る」 at the end)."""
    page.locator(".scenario-choice", has_text=text).click()
    page.wait_for_load_state()
    assert page.locator("#commentary").is_visible()
    assert page.locator(".scenario-choice").count() == 0  # the commentary comes alone
    assert fits_the_phone(page)
    commentary = page.locator("#commentary").inner_text()
    page.locator("#next").click()
    page.wait_for_load_state()
    return commentary


def test_a_rep_plays_to_an_end_and_sees_the_top_reps_path(cast, scenario_lesson, live_server, phone):
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{scenario_lesson.pk}/")
    page.locator("#scenario-start").click()
    page.wait_for_load_state()
    assert fits_the_phone(page)
    page.locator("#start").click()
    page.wait_for_load_state()

    assert page.locator("#progress progress").get_attribute("value") == "0"
    button = page.get_by_role("button", name="「申し訳ございません。すぐに確認いたします。」")
    assert button.bounding_box()["height"] >= 48  # a thumb-sized target
    commentary = choose(page, "「申し訳ございません。すぐに確認いたします。」")
    assert "トップ営業は別の選択をしました" in commentary
    assert "謝ること自体は悪くありません" in commentary
    assert page.locator("#progress progress").get_attribute("value") == "1"
    for text in ["今日中に間に合わせる", "原因の見当がつきました", "先月のことも教えていただけますか"]:
        choose(page, text)
    choose(page, "おめでとうございます")

    assert "受注" in page.locator("#ending").inner_text()
    assert page.locator("#alignment").inner_text() == "80%"
    steps = page.locator("#paths .scenario-step")
    assert steps.count() == 6  # five of the rep's steps and the ending
    differing = page.locator("#paths .scenario-step.is-differs")
    assert differing.count() == 1
    assert "詳しくお聞かせいただけますか" in differing.inner_text()  # the top rep's choice at that moment
    assert "違う選択" in differing.inner_text()
    # On a phone the two sides are stacked: the top rep's below the rep's, both full width.
    you = differing.locator(".scenario-side-you").bounding_box()
    top = differing.locator(".scenario-side-top").bounding_box()
    assert top["y"] > you["y"] and abs(top["width"] - you["width"]) < 2
    assert page.locator("#value-profile").is_visible()
    assert fits_the_phone(page)
    attempt = Attempt.objects.get(rep=cast.rep_a1)
    assert attempt.outcome == "won" and attempt.alignment == 0.8

    page.locator("#replay").click()
    page.wait_for_load_state()
    assert page.locator(".scenario-choice").count() == 3
    assert Attempt.objects.filter(rep=cast.rep_a1).count() == 2

    page.get_by_role("link", name="レッスンに戻る").click()
    page.wait_for_load_state()
    assert "完了" in page.locator("#lesson-done").inner_text()
