"""Spreadsheets in and out, one way for every app.

Out: CSV as UTF-8 with a byte-order mark (so that Excel reads Japanese) and XLSX (openpyxl), as bytes or as
download responses (csv_response; download_response for XLSX and any other file). A text cell
that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is written
as plain text: exported names and free text come from users ("CSV injection").
In: an uploaded CSV is read as UTF-8 (with or without a BOM) or, as Excel in Japan saves it, Shift_JIS.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}  # by file extension


def _looks_like_formula(value: str) -> bool:
    return value[:1] in _FORMULA_START and not _is_number(value)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def cell(value: Any) -> Any:
    """Return a value as a CSV cell: text that looks like a formula made plain, dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = " / ".join(str(v) for v in value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> str:
    """Return the table as CSV text (with the BOM first unless told otherwise)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(v) for v in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return (BOM if bom else "") + out.getvalue()


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return the table as CSV bytes: UTF-8 with a BOM."""
    return csv_text(header, rows).encode("utf-8")


class CsvLine:
    """Formats one CSV line at a time, for streamed responses (the first line carries the BOM)."""

    def __init__(self) -> None:
        self._first = True

    def __call__(self, row: Sequence[Any]) -> str:
        out = io.StringIO()
        csv.writer(out).writerow([cell(v) for v in row])
        line = (BOM if self._first else "") + out.getvalue()
        self._first = False
        return line


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]], *, width: int = 0) -> bytes:
    """Return a workbook with one sheet per (title, header, rows); text is never taken for a formula."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=str(title)[:31])
        if width:
            for index in range(len(header)):
                sheet.column_dimensions[_column_letter(index)].width = width
        sheet.append([_xlsx_cell(sheet, v) for v in header])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        value = " / ".join(str(v) for v in value)
    if isinstance(value, str):
        # XML 1.0 cannot hold most control characters; openpyxl would raise on user text carrying one.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, str) and value.startswith("="):
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"  # stored as text, not as a formula
        return text
    return value


def decode_csv(data: bytes) -> str | None:
    """Return an uploaded CSV's text (UTF-8, with or without BOM, or Shift_JIS), or None if it is neither."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


# --- Downloads ------------------------------------------------------------------------------------------

_NOT_QUOTABLE = re.compile(r'[^\x20-\x7e]|["\\]')


def attachment_disposition(filename: str) -> str:
    """Return the Content-Disposition of a download named filename (RFC 6266).

    An ASCII name goes as filename="..."; any other (a Japanese course title) as filename*=UTF-8 for the
    browsers, after an ASCII stand-in for the few clients that read only filename=.
    """
    header = content_disposition_header(True, filename) or "attachment"
    if "filename*=" not in header:
        return header
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = _NOT_QUOTABLE.sub("_", ascii_stem).strip(" _") or "download"
    fallback = ascii_stem + dot + _NOT_QUOTABLE.sub("_", extension)
    return f'attachment; filename="{fallback}"; {header.removeprefix("attachment; ")}'


def download_response(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    """Return a response the browser saves as a file with this name."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(filename)
    return response


def csv_response(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, filename: str) -> HttpResponse:
    """Return the table as a CSV download (UTF-8 with a BOM)."""
    return download_response(csv_bytes(header, rows), filename=filename, content_type=CSV_CONTENT_TYPE)


def csv_streaming_response(rows: Iterable[Sequence[Any]], *, filename: str) -> StreamingHttpResponse:
    """Return rows (the header first) as a CSV download written while it is sent, for long tables."""
    line = CsvLine()
    response = StreamingHttpResponse((line(row) for row in rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(filename)
    return response
