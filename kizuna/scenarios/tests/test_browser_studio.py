"""An author on a phone (375×667) sees a validation error at its choice, fixes it in place and publishes."""

import pytest

from kizuna.scenarios import services
from kizuna.scenarios.models import ScenarioVersion
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_an_author_fixes_a_validation_error_and_publishes(cast, live_server, phone):
    scenario = services.scenario_create(author=cast.author, title="価格の相談", slug="price")
    start = services.node_create(scenario=scenario, speaker="お客様", text="「高いね。」")
    won = services.node_create(scenario=scenario, key="won", kind="end", outcome="won", text="受注")
    services.choice_create(node=start, text="「何と比べてそう感じられましたか?」", next_node=won, score=3)
    dangling = services.choice_create(node=start, text="「値引きします。」", score=-1)

    page, base = phone, live_server.url
    sign_in(page, base, cast.author.email)
    page.goto(f"{base}/studio/scenarios/")
    page.get_by_text("価格の相談").click()
    page.wait_for_load_state()
    assert fits_the_phone(page)

    item = page.locator(f"#choice-{dangling.pk}")
    assert "行き先がありません" in item.locator(".choice-problems").inner_text()
    assert page.locator(f"#node-{start.pk}").get_attribute("class").endswith("has-problems")
    assert page.locator("#statusbar").is_visible() and "1" in page.locator("#statusbar").inner_text()
    assert page.locator("#publish-button").is_disabled()
    assert page.evaluate("() => document.getElementById('map-img').naturalWidth") > 0  # the map image loads

    item.locator("summary").click()
    item.locator("select[name$='next_node']").select_option(str(won.pk))
    item.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.locator(".choice-problems").count() == 0
    assert "問題はありません" in page.locator("#statusbar").inner_text()
    assert fits_the_phone(page)

    page.locator("#publish-button").click()
    page.wait_for_load_state()
    assert "バージョン1" in page.locator(".messages").inner_text()
    assert ScenarioVersion.objects.get(scenario=scenario).graph["nodes"][0]["choices"][1]["next"] == "won"
