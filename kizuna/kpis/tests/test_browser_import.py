"""In a real browser on a phone (Japanese): the principal downloads the sample sales sheet, which comes with
Japanese headers, loads it as it is, then loads a Shift_JIS file whose header names the columns as the page does."""

import pytest

from kizuna.kpis.models import SalesFigure
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "営業担当者のメールアドレス,月,製品コード,架電数,アポイント数,成約数,売上(円)"


def test_the_principal_loads_the_japanese_sample_and_a_shift_jis_sheet(cast, live_server, phone, tmp_path):
    page, base = phone, live_server.url
    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/kpis/import/")
    assert page.locator(".import-columns").get_by_text("営業担当者のメールアドレス").is_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV の見本をダウンロード").click()
    sample = tmp_path / "sample.csv"
    download.value.save_as(sample)
    assert sample.read_bytes().decode("utf-8-sig").splitlines()[0] == HEADER
    page.set_input_files("input[type=file]", str(sample))
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_load_state()
    assert page.get_by_text("取り込みました", exact=False).is_visible()
    assert SalesFigure.objects.filter(rep=cast.rep_a1).count() == 1

    sheet = tmp_path / "売上.csv"
    sheet.write_bytes(f"{HEADER}\r\n{cast.rep_a2.email},2026-09,,100,20,5,500000\r\n".encode("cp932"))
    page.set_input_files("input[type=file]", str(sheet))
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_load_state()
    assert page.locator(".import-errors").count() == 0
    assert SalesFigure.objects.get(rep=cast.rep_a2).appointments == 20
