"""Hypothesis: whatever a sales spreadsheet holds, the import answers with rows or KpiImportError, never a crash."""

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kizuna.kpis import services
from kizuna.kpis.models import SalesFigure

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = ["rep_email", "month", "product", "calls", "appointments", "deals", "revenue"]
CELL = st.one_of(
    st.none(),
    # Text a workbook can hold (XML 1.0 has no control characters).
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=25),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    st.booleans(),
    st.sampled_from(["rep1@partner-a.example", "2026-09", "1e400", "²", "-", "１２", "¥1,000円", "0x10"]),
)


def _read(data: bytes, filename: str) -> list[Any]:
    try:
        return services.read_sheet(data=data, filename=filename)
    except services.KpiImportError as error:
        assert error.errors
        return []


@FAST
@given(data=st.binary(max_size=3000))
def test_any_bytes_as_a_csv_are_read_or_refused(data: bytes) -> None:
    _read(data, "f.csv")


@FAST
@given(data=st.binary(max_size=3000))
def test_any_bytes_as_an_xlsx_are_read_or_refused(data: bytes) -> None:
    _read(data, "f.xlsx")


@pytest.mark.django_db
@FAST
@given(rows=st.lists(st.lists(CELL, min_size=7, max_size=7), min_size=1, max_size=4))
def test_any_cells_in_a_workbook_are_loaded_or_refused_whole(cast: Any, rows: list[list[Any]]) -> None:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    before = SalesFigure.objects.count()
    try:
        services.sales_sheet_import(data=buffer.getvalue(), filename="f.xlsx", by=cast.admin)
    except services.KpiImportError as error:
        assert error.errors
        assert SalesFigure.objects.count() == before


@FAST
@given(rows=st.lists(st.lists(CELL, min_size=7, max_size=7), min_size=1, max_size=4))
def test_any_cells_in_a_csv_are_loaded_or_refused_whole(cast: Any, rows: list[list[Any]]) -> None:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    before = SalesFigure.objects.count()
    try:
        services.sales_sheet_import(data=out.getvalue().encode(), filename="f.csv", by=cast.admin)
    except services.KpiImportError as error:
        assert error.errors
        assert SalesFigure.objects.count() == before
