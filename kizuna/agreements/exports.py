"""Spreadsheets of compliance and learning time: the same rows as CSV (UTF-8 with BOM, for Excel) or XLSX."""

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .selectors import Compliance, RepLearningTime

Table = tuple[list[str], list[Sequence[Any]]]


def compliance_table(compliance: Compliance) -> Table:
    header = [
        _("Rep"),
        _("E-mail"),
        _("Team"),
        _("Required"),
        _("Finished"),
        _("Overdue"),
        _("Overdue courses"),
        _("Minutes learned"),
        _("Minimum minutes"),
        _("Gap"),
    ]
    rows = [
        [
            r.name,
            r.email,
            r.team_name,
            r.required,
            r.done,
            r.overdue,
            " / ".join(r.overdue_titles),
            r.minutes,
            r.minimum,
            _("yes") if r.has_gap else _("no"),
        ]
        for r in compliance.rows
    ]
    return header, rows


def learning_time_table(lines: list[RepLearningTime]) -> Table:
    """One row per rep and day with learning, for payroll: minutes learned and minutes counted as work."""
    header = [_("Rep"), _("E-mail"), _("Team"), _("Day"), _("Learning minutes"), _("Counted as work (minutes)")]
    rows: list[Sequence[Any]] = []
    for line in lines:
        for day in line.days:
            if day.minutes or day.work_minutes:
                rows.append([line.name, line.email, line.team_name, day.day, day.minutes, day.work_minutes])
    return header, rows


def as_csv(table: Table) -> bytes:
    header, rows = table
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([value.isoformat() if isinstance(value, date) else value for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(table: Table, *, title: str) -> bytes:
    header, rows = table
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
