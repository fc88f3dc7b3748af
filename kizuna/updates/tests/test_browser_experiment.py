"""A flash update rolled out as an experiment in a real browser at 375×667: the admin writes it on a phone, presses
"publish as an experiment", chooses staggered waves for one agency and starts it; only the first wave can open it."""

from typing import Any

import pytest

from kizuna.kpis.models import Experiment
from kizuna.kpis.tests.rollout_builders import reps_with_history
from kizuna.tests.browser_support import sign_in
from kizuna.updates.models import FlashUpdate
from kizuna.updates.selectors import updates_visible_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_admin_starts_a_flash_update_experiment_on_a_phone(cast, live_server, phone):
    reps_with_history(cast, reps=16, months=6, teams=4)
    page, base = phone, live_server.url
    page.set_default_timeout(60000)  # the draw and the planner's placebo draws take a while on a busy machine
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, base, cast.admin.email)

    page.goto(f"{base}/updates/new/")
    page.fill("#id_title", "新しい切り返しトーク")
    page.fill("#id_body", "価格の質問には**導入支援**から答えます。")
    assert fits_the_screen(page)
    page.get_by_role("button", name="実験として公開").click()
    page.wait_for_url("**/kpis/experiments/new/**")
    update = FlashUpdate.objects.get(title="新しい切り返しトーク")
    assert page.locator("#id_rollout").input_value() == f"update:{update.pk}"
    page.get_by_label(cast.partner_a.name).check()
    page.get_by_label("段階導入", exact=False).check()
    page.get_by_label("波の数").fill("2")
    page.get_by_role("button", name="見分けられる変化を表示").click()
    page.wait_for_load_state()
    assert page.locator("#id_rollout").input_value() == f"update:{update.pk}"
    assert fits_the_screen(page)
    page.get_by_role("button", name="実験を開始").click()
    page.wait_for_url("**/kpis/experiments/*/")
    assert page.locator(".experiment-status").inner_text() == "実施中"
    assert "新しい切り返しトーク" in page.locator("h1").inner_text()
    assert fits_the_screen(page)

    experiment = Experiment.objects.get()
    assert experiment.kind == "update" and experiment.design == "waves"
    for unit in experiment.units.select_related("rep"):
        assert updates_visible_to(unit.rep).filter(pk=update.pk).exists() == (unit.group == "1")
    assert violations == []
