"""Privacy in a real browser at 375×667: a rep downloads their data from their profile; an admin erases a departed rep."""

import io
import json
import zipfile
from typing import Any

import pytest

from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_downloads_their_data_from_their_profile(cast: Any, live_server: Any, phone: Any) -> None:
    import uuid

    from kizuna.feedback.services import field_voice_record

    field_voice_record(rep=cast.rep_a1, kind="question", text="導入費用はいくら?", submission_id=uuid.uuid4())
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/me/")
    page.get_by_role("link", name="自分のデータ").last.click()
    page.get_by_role("button", name="データを準備する").click()
    page.wait_for_load_state()
    assert page.get_by_text("データを準備しています").is_visible()
    link = page.get_by_role("link", name="ダウンロード (zip)")
    assert link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with page.expect_download() as info:
        link.click()
    data = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: PTH123, SIM115
    assert json.loads(data.read("profile.json"))[0]["email"] == cast.rep_a1.email
    assert "導入費用はいくら?" in data.read("field_voice.json").decode()
    # The notice, linked from the footer, fits the phone (its table scrolls inside its own box).
    page.get_by_role("contentinfo").get_by_role("link", name="個人情報の取り扱い").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="保存期間").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_admin_erases_a_departed_rep(cast: Any, live_server: Any, phone: Any) -> None:
    import uuid

    from kizuna.feedback.models import FieldVoice
    from kizuna.feedback.services import field_voice_record

    field_voice_record(rep=cast.rep_a1, kind="question", text="解約の条件は?", submission_id=uuid.uuid4())
    cast.rep_a1.is_active = False
    cast.rep_a1.save(update_fields=["is_active"])
    page, base = phone, live_server.url
    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/menu/")
    page.get_by_role("link", name="退職者のデータ消去").click()
    page.fill("#q", "営業 一子")
    page.get_by_role("button", name="検索").click()
    page.locator("#departed").get_by_text("営業 一子").click()
    assert page.locator("#erasure-preview").get_by_text("削除").first.is_visible()
    page.fill("#reason", "本人からの依頼 (12月1日、メール)")
    page.fill("#confirmation", "rep1@partner-a.example")
    page.get_by_role("button", name="完全に消去する").click()
    page.wait_for_load_state()
    assert page.get_by_text("消去しました").is_visible()
    assert page.locator("#erasure-log").get_by_text("本人からの依頼 (12月1日、メール)").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert FieldVoice.objects.get(rep=cast.rep_a1).text == ""
