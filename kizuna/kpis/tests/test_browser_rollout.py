"""A course rolled out as an experiment in a real browser: on a phone the admin starts staggered waves for one
agency, the demo's history is fast-forwarded through the period, and the result page shows the effect with its
interval; then the same page at a desk-sized screen."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kizuna.kpis.models import Experiment
from kizuna.tests.browser_support import sign_in

from .rollout_builders import reps_with_history, unassigned_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_admin_starts_waves_and_reads_the_result_after_the_period(cast, live_server, phone):
    reps_with_history(cast, reps=24, months=8, teams=6)
    course = unassigned_course(cast)
    page, base = phone, live_server.url
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, base, cast.admin.email)

    page.goto(f"{base}/kpis/experiments/")
    page.get_by_role("link", name="研修を実験として配信").click()
    page.wait_for_load_state()
    page.locator("#id_course").select_option(str(course.pk))
    page.get_by_label(cast.partner_a.name).check()
    page.get_by_label("段階導入", exact=False).check()
    page.get_by_label("波の数").fill("2")
    page.get_by_label("波の間隔（月）").fill("2")
    page.get_by_role("button", name="見分けられる変化を表示").click()
    page.wait_for_load_state()
    assert "ポイント以上の変化に気づけます" in page.locator(".experiment-detectable").inner_text()
    assert fits_the_screen(page)
    page.get_by_role("button", name="実験を開始").click()
    page.wait_for_url("**/kpis/experiments/*/")
    assert page.locator(".experiment-status").inner_text() == "実施中"
    assert "常に有効な区間" in page.locator(".experiment-interim").inner_text()
    assert fits_the_screen(page)

    experiment = Experiment.objects.get()
    assert experiment.design == "waves" and list(experiment.partners.all()) == [cast.partner_a]
    call_command("experiment_fast_forward", str(experiment.pk))

    page.reload()
    assert page.locator(".experiment-status").inner_text() == "終了"
    assert "ポイント" in page.locator(".experiment-effect").inner_text()
    interval = page.locator(".experiment-result .experiment-interval").inner_text()
    assert "95%区間" in interval and "クラスター頑健" in interval
    assert page.locator(".experiment-result svg").count() >= 1
    # the staggered rollout's difference in differences, with its event study, on the phone too
    assert "差の差" in page.locator(".experiment-result").inner_text()
    assert page.locator(".experiment-staggered").is_visible()
    assert fits_the_screen(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    assert page.locator(".experiment-result .experiment-interval").is_visible()
    assert (
        "事前登録" in page.locator(".experiment-reading").first.inner_text()
        or page.locator(".experiment-reading").count() >= 2
    )
    assert violations == []


def test_the_admin_picks_another_imported_kpi_as_the_primary_metric_on_a_phone(cast, live_server, phone):
    """Deals closed per rep and month as the primary metric of a holdout: what it could detect and the result are
    in deals per rep a month, not in points."""
    reps_with_history(cast, reps=24, months=8, teams=6)
    course = unassigned_course(cast)
    page, base = phone, live_server.url
    sign_in(page, base, cast.admin.email)

    page.goto(f"{base}/kpis/experiments/new/")
    page.locator("#id_course").select_option(str(course.pk))
    page.get_by_label(cast.partner_a.name).check()
    page.locator("#id_metric").select_option("closed")
    page.get_by_role("button", name="見分けられる変化を表示").click()
    page.wait_for_load_state()
    detectable = page.locator(".experiment-detectable").inner_text()
    assert "件/人月以上の変化に気づけます" in detectable and "成約数" in detectable
    assert fits_the_screen(page)
    page.get_by_role("button", name="実験を開始").click()
    page.wait_for_url("**/kpis/experiments/*/")
    experiment = Experiment.objects.get()
    assert experiment.metric == "closed" and experiment.design == "holdout"
    call_command("experiment_fast_forward", str(experiment.pk))

    page.reload()
    expect(page.locator(".experiment-status")).to_have_text("終了")
    expect(page.locator(".experiment-effect")).to_contain_text("件/人月")
    interval = page.locator(".experiment-result .experiment-interval").inner_text()
    assert "成約数の変化" in interval and "95%区間" in interval
    assert fits_the_screen(page)
