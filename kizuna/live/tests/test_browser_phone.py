"""A rep checks in to a live session from a phone (375×667) with the code shown during the session."""

from datetime import timedelta

import pytest

from kizuna.live import services
from kizuna.live.models import Registration
from kizuna.tests.browser_support import sign_in

from .conftest import schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_rep_checks_in_to_a_live_session_on_a_phone(cast, live_server, phone):
    session = schedule(cast, starts_in=timedelta(minutes=-5))
    services.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a)
    services.live_register(session=session, rep=cast.rep_a1)
    page, base = phone, live_server.url

    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/live/")
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="新料金プラン説明会").click()
    page.wait_for_url(f"**/live/{session.pk}/")
    assert page.get_by_role("link", name="研修に参加する").is_visible()
    page.fill("input[name=code]", "999999" if session.checkin_code != "999999" else "111111")
    page.get_by_role("button", name="出席する").click()
    assert page.get_by_text("コードが違います").is_visible()
    page.fill("input[name=code]", session.checkin_code)
    button = page.get_by_role("button", name="出席する")
    assert button.bounding_box()["height"] >= 44  # a thumb-sized target
    button.click()
    page.wait_for_url(f"**/live/{session.pk}/")
    assert page.get_by_text("出席を登録しました").is_visible()
    assert page.locator(".live-me .badge.done").inner_text().endswith("出席")
    assert no_sideways_scroll(page)
    assert Registration.objects.get(rep=cast.rep_a1).attendance_source == "checkin"
