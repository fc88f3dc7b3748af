"""What could an experiment detect? in a real browser: the principal picks an agency and a design on a phone and
reads the minimum detectable effect in Japanese, then switches to waves at a desk-sized screen."""

import pytest

from kizuna.tests.browser_support import sign_in

from .test_experiment_plan import _history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_principal_reads_what_an_experiment_could_detect(cast, live_server, phone):
    _history(cast)
    page, base = phone, live_server.url
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, base, cast.admin.email)

    page.goto(f"{base}/kpis/")
    page.get_by_role("link", name="実験で何が分かるか").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="実験で何が分かるか").is_visible()
    page.get_by_label(cast.partner_a.name).check()
    page.get_by_label("ホールドアウト", exact=False).check()
    page.get_by_label("後回しにする割合（営業担当者の％）").fill("30")
    page.get_by_role("button", name="見分けられる変化を表示").click()
    page.wait_for_load_state()
    reading = page.locator(".experiment-detectable")
    assert "この12人（2チーム）なら、アポイント獲得率で" in reading.inner_text()
    assert fits_the_screen(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("段階導入", exact=False).check()
    page.get_by_label("波の数").fill("2")
    page.get_by_role("button", name="見分けられる変化を表示").click()
    page.wait_for_load_state()
    assert "ポイント以上の変化に気づけます" in page.locator(".experiment-detectable").inner_text()
    assert "デザイン効果" not in page.locator(".experiment-detectable").inner_text()  # holdout only
    assert violations == []
