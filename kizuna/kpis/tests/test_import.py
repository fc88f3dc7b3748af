import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kizuna.catalog.models import Product
from kizuna.kpis import services
from kizuna.kpis.models import SalesFigure

GOOD = (
    "rep_email,month,product,calls,appointments,deals,revenue\n"
    "rep1@partner-a.example,2026-09,,100,20,5,500000\n"
    'REP2@partner-a.example,2026-09,kizuna-pro,80,12,3,"¥300,000"\n'
)


def _load(data: str, cast: Any) -> services.UpsertResult:
    return services.sales_sheet_import(data=data.encode(), filename="figures.csv", by=cast.admin)


def test_it_loads_a_csv_and_updates_the_same_rows_when_loaded_again(cast: Any) -> None:
    Product.objects.create(name="Kizuna Pro", slug="kizuna-pro")
    first = _load(GOOD, cast)
    assert (first.created, first.updated) == (2, 0)
    again = _load(GOOD.replace("100,20,5", "110,22,6"), cast)
    assert (again.created, again.updated) == (0, 2)
    assert SalesFigure.objects.count() == 2
    figure = SalesFigure.objects.get(rep=cast.rep_a1)
    assert (figure.calls, figure.appointments, figure.deals, figure.partner_id) == (110, 22, 6, cast.partner_a.pk)
    assert SalesFigure.objects.get(rep=cast.rep_a2).revenue == 300000


def test_it_refuses_the_whole_file_and_explains_every_bad_row(cast: Any) -> None:
    bad = (
        "メールアドレス,対象月,製品コード,架電数,アポイント数,成約数,売上\n"
        "rep1@partner-a.example,2026-09,,100,20,5,500000\n"
        "nobody@partner-a.example,2026-09,,100,20,5,500000\n"
        "rep2@partner-a.example,2026-13,no-such,10,20,abc,\n"
        "rep1@partner-a.example,2026-09,,1,1,1,1\n"
    )
    with pytest.raises(services.KpiImportError) as caught:
        _load(bad, cast)
    found = {(e.line, e.column) for e in caught.value.errors}
    assert (3, "rep_email") in found
    assert {(4, "month"), (4, "product"), (4, "deals"), (4, "appointments"), (4, "revenue")} <= found
    assert (5, "rep_email") in found  # the same rep and month as line 2
    assert SalesFigure.objects.count() == 0


def test_it_loads_an_xlsx_workbook(cast: Any) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["rep_email", "month", "product", "calls", "appointments", "deals", "revenue"])
    sheet.append(["rep1@partner-a.example", "2026-08", None, 50, 10, 2, 120000])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.sales_sheet_import(data=buffer.getvalue(), filename="f.xlsx", by=cast.admin)
    assert result.created == 1
    assert SalesFigure.objects.get().appointments == 10


def test_the_import_page_lists_the_problems_and_loads_nothing(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    upload = SimpleUploadedFile(
        "f.csv", b"rep_email,month,calls,appointments,deals,revenue\nx@y.example,2026-09,1,2,0,0\n"
    )
    response = client.post(reverse("kpis:kpi_import"), {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "import-errors" in body
    assert SalesFigure.objects.count() == 0


def test_the_import_page_loads_a_good_file(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    upload = SimpleUploadedFile("f.csv", GOOD.replace(",kizuna-pro,", ",,").encode())
    response = client.post(reverse("kpis:kpi_import"), {"file": upload})
    assert response.status_code == 302
    assert SalesFigure.objects.count() == 2


@pytest.mark.parametrize("who", ["manager_a", "rep_a1", "coach", "manager_b"])
def test_only_principal_admins_may_load_figures(cast: Any, signed_in: Any, who: str) -> None:
    client = signed_in(getattr(cast, who))
    assert client.get(reverse("kpis:kpi_import")).status_code == 404
    assert (
        client.post(reverse("kpis:kpi_import"), {"file": SimpleUploadedFile("f.csv", GOOD.encode())}).status_code == 404
    )
    assert SalesFigure.objects.count() == 0


# --- Headers in either language, files in either encoding, the sample in the person's language ---------------

JAPANESE_HEADER = "営業担当者のメールアドレス,月,製品コード,架電数,アポイント数,成約数,売上(円)"
ENGLISH_HEADER = "Rep's e-mail,Month,Product code,Calls,Appointments,Deals,Revenue (yen)"
BODY = "rep1@partner-a.example,2026-09,,100,20,5,500000\n"


@pytest.mark.parametrize(
    "encoded",
    [
        lambda text: text.encode("utf-8"),
        lambda text: ("\ufeff" + text).encode("utf-8"),
        lambda text: text.encode("cp932"),
    ],
    ids=["utf-8", "utf-8 with a BOM", "shift_jis"],
)
@pytest.mark.parametrize("header", [JAPANESE_HEADER, ENGLISH_HEADER], ids=["japanese", "english"])
def test_it_loads_a_csv_whose_header_names_the_columns_as_the_screen_does(cast: Any, encoded: Any, header: str) -> None:
    data = encoded(header + "\r\n" + BODY)
    result = services.sales_sheet_import(data=data, filename="売上.csv", by=cast.admin)
    assert result.created == 1
    assert SalesFigure.objects.get().appointments == 20


def test_a_header_in_full_width_brackets_and_spaces_is_read_too(cast: Any) -> None:
    header = "営業担当者の メールアドレス,月,製品コード,架電数,アポイント数,成約数,売上（円）"
    result = services.sales_sheet_import(data=(header + "\n" + BODY).encode("cp932"), filename="f.csv", by=cast.admin)
    assert result.created == 1


def test_it_refuses_a_header_naming_the_same_column_twice(cast: Any) -> None:
    data = ("rep_email,営業担当者のメールアドレス,month,calls,appointments,deals,revenue\n" + BODY).encode()
    with pytest.raises(services.KpiImportError) as caught:
        services.sales_sheet_import(data=data, filename="f.csv", by=cast.admin)
    assert [(e.line, e.column) for e in caught.value.errors] == [(1, "rep_email")]


@pytest.mark.parametrize(("language", "first_column"), [("ja", "営業担当者のメールアドレス"), ("en", "Rep's e-mail")])
def test_the_sample_csv_is_in_the_persons_language_and_loads_as_it_is(
    cast: Any, signed_in: Any, language: str, first_column: str
) -> None:
    client = signed_in(cast.admin)
    client.cookies["django_language"] = language
    response = client.get(reverse("kpis:kpi_import_template"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].split(",")[0] == first_column
    result = services.sales_sheet_import(data=response.content, filename="sample.csv", by=cast.admin)
    assert result.created == 1


def test_the_import_page_names_the_columns_in_the_persons_language(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    client.cookies["django_language"] = "ja"
    body = client.get(reverse("kpis:kpi_import")).content.decode()
    assert "営業担当者のメールアドレス" in body
    assert "rep_email" not in body


def test_a_nul_character_in_a_csv_is_refused_before_any_query(cast: Any) -> None:
    data = b"rep_email,month,calls,appointments,deals,revenue\nrep1\x00@partner-a.example,2026-09,1,1,1,1\n"
    with pytest.raises(services.KpiImportError):
        services.sales_sheet_import(data=data, filename="f.csv", by=cast.admin)
