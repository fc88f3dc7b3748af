"""The dashboards in a real browser: a manager on a phone taps from a rep's card to their detail;
on a wide screen the same page is a reps × courses table; the principal's chart loads as an image."""

import pytest

from kizuna.tests.browser_support import sign_in

from .builders import assign, learn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def watch_for_policy_violations(page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def test_a_manager_checks_progress_on_a_phone_and_at_a_desk(cast, courses, live_server, phone):
    assign(cast, courses["basics"], partner=cast.partner_a)
    assign(cast, courses["closing"], team=cast.team_a2, due_in_days=-1)
    learn(cast.rep_a1, courses["basics"], lessons=2)
    page, base = phone, live_server.url
    violations = watch_for_policy_violations(page)
    sign_in(page, base, cast.manager_a.email)

    page.goto(f"{base}/partner/dashboard/")
    cards = page.locator("table.matrix tbody tr")
    assert cards.count() == 2
    assert fits_the_screen(page)
    # On a phone a rep is a card: the per-course cells are hidden, the summary line is shown.
    assert page.locator("table.matrix thead").is_hidden()
    assert page.locator("table.matrix tbody td:nth-child(6)").first.is_hidden()
    jiro = cards.filter(has_text="営業 二郎")
    assert jiro.get_by_text("期限超過 1件").is_visible()
    assert jiro.get_by_text("0/2").is_visible()
    box = jiro.bounding_box()
    assert box["height"] >= 48

    # The whole card is the tap target.
    jiro.click(position={"x": box["width"] - 20, "y": box["height"] - 12})
    page.wait_for_url(f"**/reps/{cast.rep_a2.pk}/")
    assert page.get_by_role("heading", name="営業 二郎").is_visible()
    assert page.get_by_text("クロージング").first.is_visible()
    assert fits_the_screen(page)

    page.goto(f"{base}/partner/dashboard/")
    page.get_by_label("チーム").select_option(label="大阪チーム")
    page.wait_for_url("**team=*")
    assert page.locator("table.matrix tbody tr").count() == 1

    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base}/partner/dashboard/")
    assert page.locator("table.matrix thead").is_visible()
    headers = page.locator("table.matrix thead th")
    assert headers.filter(has_text="製品の基本").is_visible() and headers.filter(has_text="クロージング").is_visible()
    ichiko = page.locator("table.matrix tbody tr").filter(has_text="営業 一子")
    assert ichiko.locator("td.ok").count() == 1
    assert violations == []


def test_the_principal_chart_loads_as_an_image(cast, courses, live_server, phone):
    assign(cast, courses["basics"], partner=cast.partner_b)
    learn(cast.rep_b1, courses["basics"], lessons=2)
    page, base = phone, live_server.url
    violations = watch_for_policy_violations(page)
    sign_in(page, base, cast.admin.email)

    page.goto(f"{base}/principal/dashboard/")
    chart = page.locator("img.chart-img")
    chart.wait_for()
    page.wait_for_function("document.querySelector('img.chart-img').complete")
    assert page.evaluate("document.querySelector('img.chart-img').naturalWidth") > 0
    assert fits_the_screen(page)
    page.get_by_role("link", name="パートナーB株式会社").click()
    page.wait_for_url(f"**/principal/partners/{cast.partner_b.pk}/dashboard/")
    assert page.locator("table.matrix tbody tr").count() == 1
    assert violations == []
