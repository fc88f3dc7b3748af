"""The monthly incentive statement as CSV and XLSX, for the agency's payroll."""

from django.utils.translation import gettext as _

from kizuna.ops.spreadsheets import csv_bytes, xlsx_bytes

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
    return csv_bytes(_headers(), [*_rows(statement), [_("Total"), "", "", "", "", statement.total]])


def statement_xlsx(statement: MonthStatement) -> bytes:
    summary = [
        *([rep.rep_name, rep.rep_email, len(rep.lines), rep.total] for rep in statement.reps),
        [_("Total"), "", len(statement.lines), statement.total],
    ]
    return xlsx_bytes(
        [
            (
                f"{_('Summary')} {statement.month.strftime('%Y-%m')}",
                [_("Rep"), _("E-mail"), _("Rewards"), _("Amount (yen)")],
                summary,
            ),
            (_("Events"), _headers(), _rows(statement)),
        ],
        width=20,
    )
