"""At phone size (375×667, Japanese): a manager taps from their scenarios to a rep's path; the principal's page fits."""

import pytest

from kizuna.tests.browser_support import sign_in

from .analytics_world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def world(cast, product):
    from kizuna.scenarios.services import scenario_import

    from .helpers import example_data

    return build_world(cast, scenario_import(example_data(), author=cast.author))


def test_a_manager_taps_from_the_scenario_to_a_reps_path_on_a_phone(cast, world, phone, live_server):
    sign_in(phone, live_server.url, cast.manager_a.email)
    phone.goto(f"{live_server.url}/partner/scenarios/")
    phone.get_by_role("link", name="クレーム対応 ― 最初のひとことで決まる").click()
    phone.wait_for_load_state()
    assert phone.locator("#total-alignment").inner_text() == "85%"
    assert phone.get_by_text("トップ営業との一致率").first.is_visible()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    rep = phone.get_by_role("link", name=cast.rep_a2.name)
    box = rep.bounding_box()
    assert box is not None and box["height"] >= 32  # the whole card taps through; the name itself is big enough
    rep.click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name=cast.rep_a2.name).is_visible()
    assert phone.get_by_text("「申し訳ございません。すぐに確認いたします。」").first.is_visible()
    assert phone.get_by_text("トップ営業と違う選択").first.is_visible()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)


def test_the_principals_page_with_every_moment_fits_a_phone(cast, world, phone, live_server):
    sign_in(phone, live_server.url, cast.admin.email)
    phone.goto(f"{live_server.url}/principal/scenarios/{world.scenario.pk}/")
    assert phone.get_by_text("パートナー企業の習慣がトップ営業の考え方と分かれる場面").is_visible()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    # The chart is an image from its own endpoint (the page's policy forbids inline styles) and it loads.
    loaded = phone.evaluate(
        "() => { const img = document.querySelector('figure.chart img'); return img.complete && img.naturalWidth > 0; }"
    )
    assert loaded
    phone.locator('a[href="#moment-opening"]').click()
    row = phone.locator("#moment-opening tr.lowest")
    assert cast.partner_b.name in row.inner_text() and "100%" in row.inner_text()
