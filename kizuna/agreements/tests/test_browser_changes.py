"""In a real browser on a phone (375×667, Japanese): a manager opens a new agreement version and reads what changed
since the one before, term by term and in the evaluation text, before accepting it."""

import pytest

from kizuna.agreements.models import AgreementVersion
from kizuna.tests.browser_support import sign_in

from .helpers import write_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_reads_what_changed_then_accepts(cast, live_server, phone):
    write_version(cast, min_minutes_per_month=60, evaluation_text="修了を四半期評価に反映します。")
    new = write_version(cast, min_minutes_per_month=120, evaluation_text="修了を半期評価に反映します。<b>必読</b>")
    page, base = phone, live_server.url
    sign_in(page, base, cast.manager_a.email)
    page.goto(f"{base}/partner/agreement/")
    page.locator(f"a[href='/agreements/versions/{new.pk}/']").first.click()
    page.wait_for_load_state()

    changes = page.locator("#changes")
    assert changes.get_by_role("heading", name="第1版からの変更点").is_visible()
    minutes = changes.locator(".change").filter(has_text="月間の最低学習時間")
    assert minutes.locator("del").inner_text() == "60分" and minutes.locator("ins").inner_text() == "120分"
    text = changes.locator(".text-diff")
    assert text.locator("del").first.inner_text() == "四"
    assert "<b>必読</b>" in text.locator("ins").first.inner_text()  # shown as text, not as markup
    assert text.locator("b").count() == 0
    # On the phone: nothing wider than the screen, and the changes come before the accept button.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    accept = page.locator("form[action$='/accept/'] button[type=submit]")
    assert changes.bounding_box()["y"] < accept.bounding_box()["y"]
    accept.click()
    page.wait_for_load_state()
    assert AgreementVersion.objects.get(pk=new.pk).accepted_by_id == cast.manager_a.pk
