"""Spreadsheets in and out, one way for every app.

Out: CSV as UTF-8 with a byte-order mark (so that Excel reads Japanese) and XLSX (openpyxl), as bytes or as
download responses (csv_response; download_response for XLSX and any other file). A text cell
that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is written
as plain text: exported names and free text come from users ("CSV injection").
In: an uploaded CSV's encoding is told from its content (UTF-8 with or without a BOM, UTF-16 with a BOM, or
Shift_JIS/CP932 as Excel in Japan saves it), and its header row is matched to the import's columns by the
labels the screen shows in every language (plus each column's code and a few other names), so a sheet made
from the Japanese sample and one made from the English sample both load. Every import reads its
header through header_match and writes its sample with header_labels: one list of columns per import.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.functional import Promise
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
    """Return an uploaded CSV's text, its encoding told from its content, or None if it is none we read.

    A byte-order mark decides (UTF-8, or UTF-16 as Excel's "Unicode text" saves); otherwise valid UTF-8 is
    UTF-8 (Japanese in Shift_JIS is practically never valid UTF-8), and anything else is tried as CP932,
    the Windows superset of Shift_JIS that Excel in Japan writes.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp932")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def csv_table(text: str) -> list[list[str]]:
    """Return a decoded CSV's rows; a file whose first line has tabs and no commas is read as tab-separated.

    Raises csv.Error for text the csv module cannot read (a field past its size limit) and for text with a
    NUL character, which no spreadsheet writes and PostgreSQL refuses in a query (csv reads it since 3.11).
    """
    if "\x00" in text:
        raise csv.Error("NUL character in the file")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@dataclass(frozen=True)
class Column:
    """One column an import reads.

    ``label`` (translatable, lazy) is what the screen, the error list and the sample's header row call it;
    a header cell is taken for this column when it reads as the label in any of the site's languages, as
    ``key`` or as one of ``aliases`` (other names people's own sheets use).
    """

    key: str
    label: Promise | str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        """Return every header text taken for this column, in the form header_key gives."""
        names = {self.key, *self.aliases}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.add(str(self.label))
        return {header_key(name) for name in names}


# Names sheets give an e-mail column, for the imports that read one (compared as header_key makes them).
EMAIL_ALIASES = ("email", "e-mail", "mail", "メールアドレス", "メール", "Eメール", "Eメールアドレス")

_HEADER_NOISE = re.compile(r"[\s()\[\]_\-・:\ufeff\u200b]+")


def header_key(text: Any) -> str:
    """Return a header cell as it is compared: full-width made half-width, no case, spaces or brackets."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(text or "")).casefold())


@dataclass
class HeaderMatch:
    """Where each column is in a header row, which required ones are missing and which came twice."""

    positions: dict[str, int] = field(default_factory=dict)
    missing: list[Column] = field(default_factory=list)
    repeated: list[Column] = field(default_factory=list)


def header_match(header: Sequence[Any], columns: Sequence[Column]) -> HeaderMatch:
    """Match a header row's cells to the columns; cells naming no column are ignored."""
    by_name = {name: column for column in columns for name in column.names()}
    match = HeaderMatch()
    for index, text in enumerate(header):
        column = by_name.get(header_key(text))
        if column is None:
            continue
        if column.key in match.positions:
            if column not in match.repeated:
                match.repeated.append(column)
            continue
        match.positions[column.key] = index
    match.missing = [c for c in columns if c.required and c.key not in match.positions]
    return match


def header_labels(columns: Sequence[Column]) -> list[str]:
    """Return the columns' labels in the active language: the header row of an import's sample file."""
    return [str(column.label) for column in columns]


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
