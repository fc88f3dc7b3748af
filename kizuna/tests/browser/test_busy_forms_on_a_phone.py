"""A long form (the KPI import) on a phone at 375×667: once sent, it says it is working, in Japanese,
and its button cannot be pressed twice."""

from typing import Any

import pytest

from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_import_shows_it_is_working_and_cannot_be_sent_twice(cast: Any, live_server: Any, phone: Any, tmp_path):
    csv = tmp_path / "kpis.csv"
    csv.write_text("rep_email,month,product,deals\n", encoding="utf-8")
    page, base = phone, live_server.url
    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/kpis/import/")
    page.locator("input[type=file]").set_input_files(str(csv))
    # Keep the request from leaving, so the page stays as a person sees it while a long import runs.
    page.evaluate("window.addEventListener('submit', function (e) { e.preventDefault(); })")
    button = page.get_by_role("button", name="取り込む")
    button.click()
    note = page.get_by_role("status").filter(has_text="処理しています")
    assert note.is_visible()
    page.wait_for_function("document.querySelector('form[data-busy] button[type=submit]').disabled")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
