"""Hypothesis: whatever bytes or cell values arrive, the spreadsheet helpers answer, never raise."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kizuna.ops.spreadsheets import csv_text, decode_csv, xlsx_bytes

FAST = settings(max_examples=150, deadline=None)
CELLS = st.one_of(st.none(), st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False))


@FAST
@given(st.binary(max_size=2000))
def test_decode_csv_returns_text_or_none_for_any_bytes(data):
    text = decode_csv(data)
    assert text is None or isinstance(text, str)


@FAST
@given(st.lists(st.lists(CELLS, max_size=5), max_size=5))
def test_csv_text_writes_any_cells(rows):
    assert csv_text(["a", "b"], rows).startswith("\ufeff")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.one_of(st.text(max_size=30), st.integers(-(2**70), 2**70)), max_size=4), max_size=4))
def test_xlsx_bytes_writes_any_cells_as_a_workbook_that_opens(rows):
    data = xlsx_bytes([("sheet", ["a", "b"], rows)])
    assert load_workbook(io.BytesIO(data)).worksheets[0].max_row >= 1
