import csv
import io
from datetime import date

from openpyxl import load_workbook

from kizuna.ops.spreadsheets import (
    CsvLine,
    attachment_disposition,
    cell,
    csv_bytes,
    csv_response,
    decode_csv,
    xlsx_bytes,
)


def test_text_that_would_run_as_a_formula_is_made_plain():
    assert cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell("-3") == "-3" and cell(-3) == -3  # numbers stay numbers
    assert cell("山田 花子") == "山田 花子"
    assert cell(date(2026, 11, 27)) == "2026-11-27"
    assert cell(["a", "b"]) == "a / b" and cell(None) == ""


def test_csv_starts_with_a_bom_and_reads_back():
    data = csv_bytes(["name", "note"], [["山田", "=1+1"]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "note"], ["山田", "'=1+1"]]
    line = CsvLine()
    assert line(["a"]).startswith("\ufeff") and not line(["b"]).startswith("\ufeff")


def test_xlsx_keeps_formula_looking_text_as_text():
    data = xlsx_bytes([("月", ["name", "note"], [["山田", "=1+1"], ["佐藤", 3]])])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "月"
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"
    assert sheet["B3"].value == 3


def test_uploads_are_read_as_utf8_or_shift_jis():
    assert decode_csv("\ufeff名前".encode()) == "名前"
    assert decode_csv("名前".encode("cp932")) == "名前"
    assert decode_csv(b"\x81\x7f\xff") is None


def test_a_download_with_an_ascii_name_keeps_the_plain_filename():
    assert attachment_disposition("progress-partner-a-20261101.csv") == (
        'attachment; filename="progress-partner-a-20261101.csv"'
    )


def test_a_download_with_a_japanese_name_carries_it_in_utf8_after_an_ascii_stand_in():
    header = attachment_disposition("研修 進捗 2026-11.xlsx")
    assert header == (
        "attachment; filename=\"2026-11.xlsx\"; filename*=utf-8''%E7%A0%94%E4%BF%AE%20%E9%80%B2%E6%8D%97%202026-11.xlsx"
    )
    assert attachment_disposition("営業.csv").startswith('attachment; filename="download.csv"; filename*=')


def test_a_csv_response_is_the_bom_led_csv_as_an_attachment():
    response = csv_response(["名前"], [["=1+1"]], filename="名簿.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content == csv_bytes(["名前"], [["=1+1"]])
    assert "filename*=utf-8''%E5%90%8D%E7%B0%BF.csv" in response["Content-Disposition"]


def test_an_upload_in_utf16_with_a_bom_is_read_and_tabs_separate_its_columns():
    from kizuna.ops.spreadsheets import csv_table

    text = decode_csv("名前\tメール\r\n山田\ta@example.com\r\n".encode("utf-16"))
    assert text is not None
    assert csv_table(text) == [["名前", "メール"], ["山田", "a@example.com"]]
    assert csv_table("a,b\tc\n1,2\n") == [["a", "b\tc"], ["1", "2"]]  # commas win when the first line has any


def test_text_with_a_nul_character_is_not_taken_for_a_table():
    import pytest

    from kizuna.ops.spreadsheets import csv_table

    with pytest.raises(csv.Error):
        csv_table("email\nrep\x00@example.com\n")


def test_a_header_cell_is_matched_by_its_label_in_every_language_its_key_or_an_alias():
    from django.utils.translation import gettext_lazy

    from kizuna.ops.spreadsheets import Column, header_labels, header_match

    columns = [
        Column("email", gettext_lazy("E-mail"), ("mail",)),
        Column("note", "note", required=False),
        Column("team", "team"),
    ]
    match = header_match(["\ufeffメール アドレス", "Ｎｏｔｅ", "E-MAIL"], columns)
    assert match.positions == {"email": 0, "note": 1}
    assert [c.key for c in match.repeated] == ["email"]
    assert [c.key for c in match.missing] == ["team"]
    assert header_match(["email", "team"], columns).positions == {"email": 0, "team": 1}
    assert header_labels(columns) == ["メールアドレス", "note", "team"]  # the active language (ja)
