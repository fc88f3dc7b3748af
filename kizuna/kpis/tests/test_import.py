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
