"""The monthly incentive statement as CSV and XLSX, for the agency's payroll."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .selectors import MonthStatement


def _headers() -> list[str]:
    return [_("Rep"), _("E-mail"), _("Day"), _("Achievement"), _("Detail"), _("Amount (yen)")]


def _rows(statement: MonthStatement) -> list[list[object]]:
    from zoneinfo import ZoneInfo

    from django.conf import settings

    zone = ZoneInfo(settings.TIME_ZONE)
    return [
        [
            line.rep_name,
            line.rep_email,
            line.at.astimezone(zone).date().isoformat(),
            line.kind_label,
            line.detail,
            line.amount,
        ]
        for line in statement.lines
    ]


def statement_csv(statement: MonthStatement) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    writer.writerows(_rows(statement))
    writer.writerow([_("Total"), "", "", "", "", statement.total])
    # With a BOM so that spreadsheet programs read the Japanese names correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def statement_xlsx(statement: MonthStatement) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    summary.append([statement.partner.name, statement.month.strftime("%Y-%m")])
    summary.append([_("Rep"), _("E-mail"), _("Rewards"), _("Amount (yen)")])
    for rep in statement.reps:
        summary.append([rep.rep_name, rep.rep_email, len(rep.lines), rep.total])
    summary.append([_("Total"), "", len(statement.lines), statement.total])
    events = book.create_sheet(_("Events"))
    events.append(_headers())
    for row in _rows(statement):
        events.append(row)
    for sheet in (summary, events):
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 20
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
