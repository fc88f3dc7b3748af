"""A rollout that was not randomized, read on a phone: "did learning move sales?" shows the staggered-adoption
difference in differences with its event-study chart and pre-trend check next to the other comparisons."""

import pytest
from playwright.sync_api import expect

from kizuna.tests.browser_support import sign_in

from .adoption_builders import staggered_adoption

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_principal_reads_the_staggered_estimate_on_a_phone(cast, live_server, phone, article_course):
    staggered_adoption(cast, article_course)
    page, base = phone, live_server.url
    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/kpis/effect/?course={article_course.pk}&partner={cast.partner_a.pk}")
    section = page.locator(".kpi-staggered")
    expect(section).to_be_visible()
    expect(section).to_contain_text("差の差")
    expect(section.locator("svg")).to_have_count(1)  # the event study by months since finishing
    text = section.inner_text()
    assert "95% 区間" in text or "95%区間" in text
    assert "確認の結果" in text  # the pre-trend check, passed or failed
    assert page.locator(".kpi-reading").count() >= 4  # next to the existing comparisons
    assert fits_the_screen(page)
