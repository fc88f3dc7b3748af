"""Sales figures past what one rep can report in a month are refused, on import and on the API, and the
monthly rollup of the largest accepted figures does not overflow."""

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from kizuna.api.services import api_token_create
from kizuna.kpis import services
from kizuna.kpis.models import SalesFigure, SalesMonth
from kizuna.kpis.rollups import sales_months_rebuild

HEADER = "rep_email,month,product,calls,appointments,deals,revenue\n"


def _csv(calls: Any = 100, appointments: Any = 20, deals: Any = 5, revenue: Any = 500000) -> bytes:
    return (HEADER + f"rep1@partner-a.example,2026-09,,{calls},{appointments},{deals},{revenue}\n").encode()


def _errors(data: bytes, cast: Any, filename: str = "f.csv") -> set[tuple[int, str]]:
    with pytest.raises(services.KpiImportError) as caught:
        services.sales_sheet_import(data=data, filename=filename, by=cast.admin)
    return {(e.line, e.column) for e in caught.value.errors}


def test_an_import_with_calls_of_two_to_the_63_is_refused_naming_row_and_column(cast: Any) -> None:
    assert _errors(_csv(calls=2**63), cast) == {(2, "calls")}
    assert SalesFigure.objects.count() == 0


def test_an_import_with_a_trillion_calls_is_refused(cast: Any) -> None:
    assert (2, "calls") in _errors(_csv(calls=10**12), cast)


def test_an_import_with_revenue_past_the_cap_is_refused(cast: Any) -> None:
    assert _errors(_csv(revenue=services.MAXIMA["revenue"] + 1), cast) == {(2, "revenue")}


def test_an_xlsx_with_a_huge_float_is_refused(cast: Any) -> None:
    book = Workbook()
    book.active.append(["rep_email", "month", "product", "calls", "appointments", "deals", "revenue"])
    book.active.append(["rep1@partner-a.example", "2026-09", None, 1e20, 1, 1, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _errors(buffer.getvalue(), cast, "f.xlsx") == {(2, "calls")}


@pytest.mark.parametrize("text", ["²", "-", "1_000", "9" * 5000])
def test_text_int_cannot_read_or_should_not_is_a_row_error(cast: Any, text: str) -> None:
    assert _errors(_csv(revenue=text), cast) == {(2, "revenue")}


def test_the_cap_message_names_the_maximum_in_english(cast: Any) -> None:
    with translation.override("en"), pytest.raises(services.KpiImportError) as caught:
        services.sales_sheet_import(data=_csv(calls=20_001), filename="f.csv", by=cast.admin)
    assert caught.value.errors[0].message == "This is more than one rep can report for a month: at most 20,000."


def test_the_import_page_names_the_row_and_column_of_a_huge_figure(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    response = client.post(reverse("kpis:kpi_import"), {"file": SimpleUploadedFile("f.csv", _csv(calls=2**63))})
    assert response.status_code == 200
    body = response.content.decode()
    assert "import-errors" in body and "20,000" in body
    assert SalesFigure.objects.count() == 0


def _put(cast: Any, **item: Any) -> Any:
    _token, raw = api_token_create(user=cast.admin, name="CRM", created_by=cast.admin)
    figure = {"rep_email": "rep1@partner-a.example", "month": "2026-09", "calls": 10, "appointments": 2}
    figure |= {"deals": 1, "revenue": 1, **item}
    return Client().put(
        "/api/v1/kpis",
        json.dumps({"items": [figure]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_the_api_refuses_a_figure_of_two_to_the_63(cast: Any) -> None:
    response = _put(cast, revenue=2**63)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "items", 0, "revenue"]
    assert SalesFigure.objects.count() == 0


def test_the_api_refuses_a_trillion_calls(cast: Any) -> None:
    response = _put(cast, calls=10**12)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "items", 0, "calls"]


def test_the_api_accepts_figures_at_the_caps(cast: Any) -> None:
    caps = services.MAXIMA
    response = _put(cast, calls=caps["calls"], appointments=caps["calls"], deals=caps["calls"], revenue=caps["revenue"])
    assert response.status_code == 200, response.content


def test_the_monthly_rollup_of_many_figures_at_the_cap_does_not_overflow(cast: Any) -> None:
    caps = services.MAXIMA
    rows = [
        (
            line,
            {
                "rep_email": rep.email,
                "month": "2026-09",
                "calls": caps["calls"],
                "appointments": caps["appointments"],
                "deals": caps["deals"],
                "revenue": caps["revenue"],
            },
        )
        for line, rep in enumerate([cast.rep_a1, cast.rep_a2], start=1)
    ]
    services.sales_figures_upsert(rows=rows, by=cast.admin, source=SalesFigure.Source.IMPORT)
    assert sales_months_rebuild() == 1
    month = SalesMonth.objects.get(partner=cast.partner_a, month=date(2026, 9, 1))
    assert month.revenue == 2 * caps["revenue"]
    # The cap leaves the 64-bit sum room for ~900 million figures per agency and month.
    assert caps["revenue"] * 900_000_000 < 2**63 - 1
