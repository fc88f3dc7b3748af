"""The main path in a real browser at 375×667: the admin adds a rep, the rep accepts the invitation on a phone."""

import re
from typing import Any

import pytest
from django.core import mail

from kizuna.tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone_page(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    return context.new_page()


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_admin_adds_a_rep_who_sets_a_password_from_the_email(cast, live_server, browser, settings):
    settings.SITE_URL = live_server.url
    page, base = phone_page(browser), live_server.url
    sign_in(page, base, cast.admin.email)

    page.goto(f"{base}/people/new/")
    assert no_horizontal_scroll(page)
    page.fill("input[name=name]", "新人 花子")
    page.fill("input[name=email]", "hanako@partner-a.example")
    page.select_option("select[name=organization]", label="パートナーA株式会社")
    # Only partner A's teams and the partner roles are offered once partner A is chosen.
    teams = page.evaluate("[...document.querySelectorAll('select[name=team] option:not([hidden])')].map(o => o.text)")
    assert "名古屋チーム" not in teams and "大阪チーム" in teams
    page.select_option("select[name=team]", label="大阪チーム")
    page.select_option("select[name=role]", label="営業担当者")
    page.get_by_role("button", name="追加").click()
    page.wait_for_load_state()
    assert "新人 花子" in page.locator("h1").inner_text()
    assert page.get_by_text("招待メールを送っています").is_visible()

    link = re.search(r"http://\S+/accounts/invite/\S+/", mail.outbox[0].body).group(0)
    invitee = phone_page(browser)  # a fresh context: the invitee's own phone
    invitee.goto(link)
    assert no_horizontal_scroll(invitee)
    invitee.fill("input[name=new_password1]", "hanabi-natsu-2026")
    invitee.fill("input[name=new_password2]", "hanabi-natsu-2026")
    invitee.get_by_role("button", name="設定してログイン").click()
    invitee.wait_for_load_state()
    assert invitee.url == f"{base}/"
    assert invitee.get_by_text("パスワードを設定しました").is_visible()
