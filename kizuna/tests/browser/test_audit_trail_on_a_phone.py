"""The audit trail on a phone (375×667): an agency manager finds who changed a rep and sees before/after."""

import pytest

from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_searches_their_agencys_trail_and_opens_an_entry(cast, phone, live_server):
    from kizuna.orgs.services import person_update

    person_update(
        person=cast.rep_a1, updated_by=cast.admin, name=cast.rep_a1.name, team=cast.team_a2, role="rep", is_active=True
    )
    person_update(
        person=cast.rep_b1, updated_by=cast.admin, name="営業 B一(改)", team=cast.team_b1, role="rep", is_active=True
    )
    base = live_server.url
    sign_in(phone, base, cast.manager_a.email)
    phone.goto(f"{base}/menu/")
    phone.get_by_role("link", name="監査ログ").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert "営業 B一" not in phone.content()  # partner B's change is not in partner A's trail

    phone.fill("input[name=person]", "rep1@partner-a")
    phone.get_by_role("button", name="検索").click()
    phone.wait_for_load_state()
    phone.get_by_role("link", name="メンバーの変更: 営業 一子 <rep1@partner-a.example>").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row = phone.locator("tr", has_text="team").inner_text()
    assert "東京第1チーム" in row and "大阪チーム" in row
    assert "管理 花子" in phone.content()  # who made the change
