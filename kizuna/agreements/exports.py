"""Spreadsheets of compliance and learning time: the same rows as CSV (UTF-8 with BOM, for Excel) or XLSX."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from kizuna.ops.spreadsheets import csv_bytes, xlsx_bytes

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
    return csv_bytes(header, rows)


def as_xlsx(table: Table, *, title: str) -> bytes:
    header, rows = table
    return xlsx_bytes([(title, header, rows)])
