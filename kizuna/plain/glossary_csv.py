"""The glossary as CSV: its columns, reading a file into checked rows (no database), and its export rows.

The studio's import and `plain_check --glossary` read files the same way; a file with any bad row is
refused whole, with every problem listed by line in the user's language.
"""

import csv
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kizuna.ops.spreadsheets import Column, csv_table, decode_csv, header_labels, header_match

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
TERM_MAX = 100
TEXT_MAX = 2000

COLUMNS = (
    Column("term_ja", pgettext_lazy("glossary CSV column", "term (Japanese)"), ("用語", "term_ja", "term")),
    Column("term_en", pgettext_lazy("glossary CSV column", "term (English)"), ("term_en",)),
    Column("explanation_ja", pgettext_lazy("glossary CSV column", "explanation (Japanese)"), ("説明",)),
    Column("explanation_en", pgettext_lazy("glossary CSV column", "explanation (English)"), ()),
    Column("plain_ja", pgettext_lazy("glossary CSV column", "plain wording (Japanese)"), ("言い換え",)),
    Column("plain_en", pgettext_lazy("glossary CSV column", "plain wording (English)"), ()),
    Column("example_ja", pgettext_lazy("glossary CSV column", "example (Japanese)"), ("例文",)),
    Column("example_en", pgettext_lazy("glossary CSV column", "example (English)"), ()),
    Column("is_jargon", pgettext_lazy("glossary CSV column", "insider jargon"), ("jargon", "社内用語")),
)
TEXT_FIELDS = [c.key for c in COLUMNS if c.key != "is_jargon"]
# Flags as people type them in either language; an empty cell is "no".
YES = {"yes", "y", "true", "1", "はい", "○", "◯", "x", "jargon", "社内用語"}
NO = {"no", "n", "false", "0", "いいえ", "×", "-", ""}


@dataclass
class TermRow:
    line: int
    term_ja: str = ""
    term_en: str = ""
    explanation_ja: str = ""
    explanation_en: str = ""
    plain_ja: str = ""
    plain_en: str = ""
    example_ja: str = ""
    example_en: str = ""
    is_jargon: bool = False


@dataclass
class Problem:
    line: int | None
    message: str


@dataclass
class Parsed:
    rows: list[TermRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _refuse(message: str) -> Parsed:
    return Parsed(problems=[Problem(None, message)])


def parse(data: bytes) -> Parsed:
    """Read a glossary CSV's bytes into rows; any problem (file or row) comes back instead of rows."""
    if len(data) > MAX_BYTES:
        return _refuse(_("The file is too large (at most 2 MB)."))
    text = decode_csv(data)
    if text is None:
        return _refuse(_("The file's characters cannot be read. Save it as CSV in UTF-8 (or Shift_JIS)."))
    try:
        table = [row for row in csv_table(text) if any(cell.strip() for cell in row)]
    except csv.Error:
        return _refuse(_("This is not a CSV file. In Excel, use “Save As” and choose “CSV UTF-8 (comma delimited)”."))
    if not table:
        return _refuse(_("The file is empty. Add a header row and one row per term."))
    match = header_match(table[0], COLUMNS)
    if match.repeated:
        return _refuse(
            _("The column “%(column)s” appears twice in the header row.") % {"column": match.repeated[0].label}
        )
    if "term_ja" not in match.positions and "term_en" not in match.positions:
        return _refuse(
            _("The header row (line 1) must name the term columns. Line 1 must be: %(columns)s")
            % {"columns": ",".join(header_labels(COLUMNS))}
        )
    if len(table) - 1 > MAX_ROWS:
        return _refuse(_("The file has more than %(max)s terms. Split it into several files.") % {"max": MAX_ROWS})
    parsed = Parsed()
    seen: dict[tuple[str, str], int] = {}
    for line, record in enumerate(table[1:], start=2):
        cells = {key: _unquote(record[i].strip() if i < len(record) else "") for key, i in match.positions.items()}
        row, problems = _row(line, cells)
        for kind in ("term_ja", "term_en"):
            value = getattr(row, kind)
            if value and (kind, value.casefold()) in seen:
                problems.append(
                    _("“%(term)s” is already on line %(line)s.")
                    % {"term": value, "line": seen[(kind, value.casefold())]}
                )
            elif value:
                seen[(kind, value.casefold())] = line
        parsed.problems += [Problem(line, message) for message in problems]
        parsed.rows.append(row)
    if parsed.problems:
        parsed.rows = []
    return parsed


def _unquote(value: str) -> str:
    """Undo the export's guard: '=x (a cell kept from running as a formula) reads back as =x."""
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value


def _row(line: int, cells: dict[str, str]) -> tuple[TermRow, list[str]]:
    problems = []
    row = TermRow(
        line=line,
        **{
            k: " ".join(v.split()) if k.startswith(("term", "plain")) else v
            for k, v in cells.items()
            if k != "is_jargon"
        },
    )
    if not row.term_ja and not row.term_en:
        problems.append(_("The term is missing (write it in Japanese, English or both)."))
    for key in ("term_ja", "term_en", "plain_ja", "plain_en"):
        if len(getattr(row, key)) > TERM_MAX:
            problems.append(_("A term or plain wording is too long (at most %(max)s characters).") % {"max": TERM_MAX})
            break
    for key in ("explanation_ja", "explanation_en", "example_ja", "example_en"):
        if len(getattr(row, key)) > TEXT_MAX:
            problems.append(
                _("An explanation or example is too long (at most %(max)s characters).") % {"max": TEXT_MAX}
            )
            break
    flag = cells.get("is_jargon", "").strip().casefold()
    if flag in YES:
        row.is_jargon = True
    elif flag not in NO:
        problems.append(_("“%(value)s” is not a yes/no answer for insider jargon (write yes or no).") % {"value": flag})
    return row, problems
