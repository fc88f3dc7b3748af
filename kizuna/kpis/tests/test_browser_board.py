"""The KPI board in a real browser: the principal sets a target on a phone and sees it on the board, then
sets another at a desk-sized screen; the trend charts load as images and nothing breaks the CSP."""

import pytest

from kizuna.kpis.periods import current_month, month_add
from kizuna.tests.browser_support import sign_in

from . import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_principal_sets_a_target_and_sees_it_on_the_board(cast, live_server, phone):
    for back in range(0, 3):
        builders.figures(cast.admin, cast.rep_a1, month_add(current_month(), -back), 100, 12, 3, 90_000)
    builders.quiz(cast.rep_a1, 0.8, current_month())
    page, base = phone, live_server.url
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, base, cast.admin.email)

    page.goto(f"{base}/kpis/")
    assert page.get_by_role("heading", name="KPIボード: すべてのパートナー企業").is_visible()
    assert fits_the_screen(page)
    page.get_by_label("指標:", exact=True).select_option(label="確認テストの平均点")
    page.get_by_label("目標:", exact=True).fill("85")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.get_by_text("目標を保存しました。").is_visible()
    card = page.locator(".kpi-lines [data-metric=average_score]")
    assert card.locator(".kpi-target").inner_text() == "85.0"
    assert card.get_by_text("未達").is_visible()  # 80 against 85
    assert fits_the_screen(page)
    # The drill-down and the other pages fit a phone too.
    for path in (
        f"/kpis/partners/{cast.partner_a.pk}/",
        f"/kpis/teams/{cast.team_a1.pk}/",
        f"/kpis/reps/{cast.rep_a1.pk}/",
        f"/kpis/effect/?partner={cast.partner_a.pk}",
        "/kpis/rising-talent/",
        "/kpis/import/",
    ):
        page.goto(base + path)
        assert fits_the_screen(page), path
    import os

    if os.environ.get("KPIS_SHOTS"):
        page.goto(f"{base}/kpis/partners/{cast.partner_a.pk}/")
        page.screenshot(path=os.environ["KPIS_SHOTS"] + "/phone.png", full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/kpis/partners/{cast.partner_a.pk}/")
    page.locator("summary").filter(has_text="このパートナー企業の目標を設定").click()
    page.get_by_label("指標:", exact=True).select_option(label="必須コースの修了率")
    page.get_by_label("目標:", exact=True).fill("90")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    card = page.locator(".kpi-lines [data-metric=completion]")
    assert card.locator(".kpi-target").inner_text() == "90.0%"
    # The trend charts are server-drawn SVG images that loaded.
    images = page.locator(".kpi-charts img")
    assert images.count() == 3
    for _ in range(50):
        if page.evaluate(
            "() => [...document.querySelectorAll('.kpi-charts img')].every(i => i.complete && i.naturalWidth > 0)"
        ):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => [...document.querySelectorAll('.kpi-charts img')].every(i => i.naturalWidth > 0)")
    assert page.locator("table.kpi-table thead").is_visible()
    if os.environ.get("KPIS_SHOTS"):
        page.screenshot(path=os.environ["KPIS_SHOTS"] + "/desktop.png", full_page=True)
    assert violations == []
