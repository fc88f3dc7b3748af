"""Writes of the KPI app: sales figures (spreadsheet or API, all or nothing) and the principal's targets."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuna.catalog.selectors import products_all
from kizuna.ops.errors import ApplicationError
from kizuna.ops.spreadsheets import EMAIL_ALIASES, Column, csv_table, decode_csv, header_labels, header_match
from kizuna.orgs.access import visible_reps
from kizuna.orgs.models import Organization

from .models import KpiTarget, Metric, SalesFigure, TargetKind
from .periods import current_month, parse_month
from .rollups import sales_months_refresh

if TYPE_CHECKING:
    from kizuna.accounts.models import User
else:
    User = get_user_model()

MAX_ROWS = 50_000
# The columns of a sales sheet, in the sample's order. A header cell names one by its label on screen in
# either language (“営業担当者のメールアドレス” or “Rep's e-mail”), its code, or one of the other names
# sheets use; compared without case, spaces or brackets (ops.spreadsheets.header_key).
COLUMNS = (
    Column(
        "rep_email",
        gettext_lazy("Rep's e-mail"),
        (*EMAIL_ALIASES, "営業担当者メールアドレス"),
    ),
    Column("month", gettext_lazy("Month"), ("period", "対象月", "年月")),
    Column("product", gettext_lazy("Product code"), ("product_code", "製品", "商品", "商品コード"), required=False),
    Column("calls", gettext_lazy("Calls"), ("コール数", "電話件数")),
    Column("appointments", gettext_lazy("Appointments"), ("アポイント獲得数", "アポ数")),
    Column("deals", gettext_lazy("Deals"), ("成約件数",)),
    Column("revenue", gettext_lazy("Revenue (yen)"), ("revenue_yen", "売上", "売上金額", "売上高")),
)
REQUIRED = tuple(c.key for c in COLUMNS if c.required)
NUMBERS = ("calls", "appointments", "deals", "revenue")
# The most one rep can plausibly report for one month (and product): ~870 calls a working day, ¥10 billion.
# Anything above is a typo or a unit mix-up; the caps also keep every agency's monthly sums (SalesMonth,
# 64-bit) from overflowing: ¥10^10 × 9×10^8 figures per agency and month would be needed.
MAXIMA = {"calls": 20_000, "appointments": 20_000, "deals": 20_000, "revenue": 10_000_000_000}


@dataclass(frozen=True)
class RowError:
    """One problem with one row: its line in the file (or index in the API list), the column and what to fix."""

    line: int
    column: str
    message: str


class KpiImportError(ApplicationError):
    """Sales figures refused as a whole; ``errors`` lists every bad row."""

    code = "validation"

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(_("The figures were not loaded: fix the rows listed and try again."))
        self.errors = errors

    def problem_detail(self) -> str:
        return _("No figures were stored: fix the items listed in “errors” and send them all again.")

    def problem_errors(self) -> list[dict[str, Any]]:
        # In the API a row's line is its index in `items`; "file" is about the list as a whole.
        return [
            {"loc": ["body", "items", e.line, e.column] if e.column != "file" else ["body", "items"], "msg": e.message}
            for e in self.errors
        ]


class KpiError(ApplicationError):
    """A change the user asked for that cannot be made; the message is safe to show."""


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    figures: list[SalesFigure] = field(default_factory=list)


def column_label(column: str) -> str:
    """Return a column's name as the screen shows it (the file itself for problems with the whole file)."""
    labels = {c.key: str(c.label) for c in COLUMNS}
    labels["file"] = _("File")
    return labels.get(column, column)


def sample_sheet() -> tuple[list[str], list[list[Any]]]:
    """Return the header (in the active language) and an example row of the sales sheet's sample."""
    return header_labels(COLUMNS), [["rep1@partner-a.example", "2026-10", "", 120, 18, 4, 480000]]


def _number(raw: Any) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = str(raw).strip().replace(",", "").replace("¥", "").replace("￥", "").replace("円", "")
    if not 0 < len(text) <= 20 or not text.lstrip("-").isdecimal():
        return None
    try:
        return int(text)
    except ValueError:  # a sign alone, or digits int() does not read
        return None


def _check_row(
    line: int, raw: dict[str, Any], *, reps: dict[str, Any], products: dict[str, Any], latest: date
) -> tuple[dict[str, Any] | None, list[RowError]]:
    errors: list[RowError] = []
    clean: dict[str, Any] = {}
    for column in REQUIRED:
        if raw.get(column) in (None, ""):
            errors.append(RowError(line, column, _("This value is missing.")))
    email = str(raw.get("rep_email") or "").strip().lower()
    if email:
        rep = reps.get(email)
        if rep is None:
            errors.append(RowError(line, "rep_email", _("No rep has this e-mail address.")))
        clean["rep"] = rep
    if raw.get("month") not in (None, ""):
        month = parse_month(raw["month"])
        if month is None:
            errors.append(RowError(line, "month", _("Write the month as 2026-10.")))
        elif month > latest:
            errors.append(RowError(line, "month", _("This month has not started yet.")))
        clean["period"] = month
    code = str(raw.get("product") or "").strip()
    clean["product"] = None
    if code:
        product = products.get(code.lower())
        if product is None:
            errors.append(RowError(line, "product", _("No product has this code.")))
        clean["product"] = product
    for column in NUMBERS:
        if raw.get(column) in (None, ""):
            continue
        value = _number(raw[column])
        if value is None or value < 0:
            errors.append(RowError(line, column, _("Enter a whole number of 0 or more.")))
        elif value > MAXIMA[column]:
            errors.append(
                RowError(
                    line,
                    column,
                    _("This is more than one rep can report for a month: at most %(max)s.")
                    % {"max": f"{MAXIMA[column]:,}"},
                )
            )
        else:
            clean[column] = value
    if {"calls", "appointments"} <= clean.keys() and clean["appointments"] > clean["calls"]:
        errors.append(RowError(line, "appointments", _("Appointments cannot be more than calls.")))
    if {"appointments", "deals"} <= clean.keys() and clean["deals"] > clean["appointments"]:
        errors.append(RowError(line, "deals", _("Deals cannot be more than appointments.")))
    return (None if errors else clean), errors


def sales_figures_upsert(*, rows: list[tuple[int, dict[str, Any]]], by: User, source: str) -> UpsertResult:
    """Check every row, then create or update them all in one transaction; refuse them all if one is bad.

    ``rows`` are (line, {rep_email, month, product, calls, appointments, deals, revenue}); the same rep,
    month and product update the figures already stored. Only people who may see the rep may load figures.
    """
    if not rows:
        raise KpiImportError([RowError(1, "file", _("There are no rows to load."))])
    if len(rows) > MAX_ROWS:
        raise KpiImportError([RowError(1, "file", _("Load at most 50,000 rows at a time."))])
    emails = {str(raw.get("rep_email") or "").strip().lower() for _line, raw in rows}
    # E-mail addresses are stored as typed: match them without case.
    reps = {
        rep.email.lower(): rep
        for rep in visible_reps(by)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("membership")
    }
    products = {p.slug.lower(): p for p in products_all()}
    latest = current_month()
    errors: list[RowError] = []
    checked: list[dict[str, Any]] = []
    seen: dict[tuple[int, date, int | None], int] = {}
    for line, raw in rows:
        clean, row_errors = _check_row(line, raw, reps=reps, products=products, latest=latest)
        errors += row_errors
        if clean is None:
            continue
        key = (clean["rep"].pk, clean["period"], clean["product"].pk if clean["product"] else None)
        if key in seen:
            errors.append(
                RowError(
                    line,
                    "rep_email",
                    _("The same rep, month and product are already on line %(line)s.") % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        checked.append(clean)
    if errors:
        raise KpiImportError(errors)
    result = UpsertResult()
    with transaction.atomic():
        existing = {
            (f.rep_id, f.period, f.product_id): f
            for f in SalesFigure.objects.select_for_update().filter(
                rep_id__in={c["rep"].pk for c in checked}, period__in={c["period"] for c in checked}
            )
        }
        now = timezone.now()
        # The months of the agency a figure belonged to before, in case its rep moved to another agency.
        touched = {(f.partner_id, f.period) for f in existing.values()}
        to_create, to_update = [], []
        for clean in checked:
            rep = clean["rep"]
            key = (rep.pk, clean["period"], clean["product"].pk if clean["product"] else None)
            figure = existing.get(key)
            if figure is None:
                figure = SalesFigure(rep=rep, period=clean["period"], product=clean["product"])
                to_create.append(figure)
            else:
                to_update.append(figure)
            figure.partner_id = rep.membership.organization_id
            figure.calls = clean["calls"]
            figure.appointments = clean["appointments"]
            figure.deals = clean["deals"]
            figure.revenue = clean["revenue"]
            figure.source = source
            figure.updated_by = by
            figure.updated_at = now
            result.figures.append(figure)
        SalesFigure.objects.bulk_create(to_create, batch_size=2000)
        SalesFigure.objects.bulk_update(
            to_update,
            ["partner", "calls", "appointments", "deals", "revenue", "source", "updated_by", "updated_at"],
            batch_size=2000,
        )
        touched |= {(f.partner_id, f.period) for f in result.figures}
        sales_months_refresh(pairs=touched)
        result.created, result.updated = len(to_create), len(to_update)
    return result


def _rows_from_table(table: list[list[Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Map a table whose first non-empty row is the header to (line, {field: value}) rows."""
    header_line = next((i for i, row in enumerate(table) if any(c not in (None, "") for c in row)), None)
    if header_line is None:
        raise KpiImportError([RowError(1, "file", _("The file is empty."))])
    match = header_match(table[header_line], COLUMNS)
    problems = [
        RowError(header_line + 1, c.key, _("This column is missing from the header row.")) for c in match.missing
    ] + [RowError(header_line + 1, c.key, _("This column appears twice in the header row.")) for c in match.repeated]
    if problems:
        raise KpiImportError(problems)
    columns = {index: key for key, index in match.positions.items()}
    rows = []
    for i, row in enumerate(table[header_line + 1 :], start=header_line + 2):
        if not any(c not in (None, "") and str(c).strip() for c in row):
            continue
        rows.append((i, {key: row[j] if j < len(row) else None for j, key in columns.items()}))
    return rows


def read_sheet(*, data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """Read a CSV (UTF-8, UTF-16 or Shift_JIS; commas or tabs) or XLSX file of sales figures into rows."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
            raise KpiImportError([RowError(1, "file", _("This file is not an Excel workbook (.xlsx)."))]) from None
        sheet = book.worksheets[0]
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        book.close()
        return _rows_from_table(table)
    if not filename.lower().endswith(".csv"):
        raise KpiImportError([RowError(1, "file", _("Upload a .csv or .xlsx file."))])
    text = decode_csv(data)
    if text is None:
        raise KpiImportError([RowError(1, "file", _("Save the CSV as UTF-8 and try again."))])
    try:
        table = csv_table(text)
    except csv.Error:  # a NUL byte, a field past the csv module's size limit
        raise KpiImportError(
            [
                RowError(
                    1,
                    "file",
                    _("This is not a CSV file that can be read. Check that the values are separated by commas."),
                )
            ]
        ) from None
    return _rows_from_table(table)


def sales_sheet_import(*, data: bytes, filename: str, by: User) -> UpsertResult:
    """Load a spreadsheet of sales figures, all or nothing."""
    return sales_figures_upsert(rows=read_sheet(data=data, filename=filename), by=by, source=SalesFigure.Source.IMPORT)


def kpi_target_set(
    *,
    partner: Organization | None,
    metric: str,
    value: float,
    by: User,
    kind: str = TargetKind.POINTS,
    baseline_from: date | None = None,
    baseline_to: date | None = None,
) -> KpiTarget:
    """Set the target of one figure for one agency, or for every agency without its own (partner None)."""
    if metric not in Metric.values:
        raise KpiError(_("Choose a figure."))
    if kind not in TargetKind.values:
        raise KpiError(_("Choose how the rise is measured."))
    if metric in (Metric.COMPLETION, Metric.AVERAGE_SCORE) and not 0 <= value <= 100:
        raise KpiError(_("Enter a target between 0 and 100."))
    if metric == Metric.APPOINTMENT_UPLIFT:
        if not -100 <= value <= 100:
            raise KpiError(_("Enter a rise between -100 and 100."))
        if (baseline_from is None) != (baseline_to is None) or (
            baseline_from and baseline_to and baseline_from > baseline_to
        ):
            raise KpiError(_("Enter the baseline's first and last month, in that order."))
    else:
        kind, baseline_from, baseline_to = TargetKind.POINTS, None, None
    target, _created = KpiTarget.objects.update_or_create(
        partner=partner,
        metric=metric,
        defaults={
            "value": value,
            "kind": kind,
            "baseline_from": baseline_from.replace(day=1) if baseline_from else None,
            "baseline_to": baseline_to.replace(day=1) if baseline_to else None,
            "set_by": by,
        },
    )
    return target


def kpi_target_clear(*, partner: Organization, metric: str) -> None:
    """Remove an agency's own target, so the target for every agency applies again."""
    KpiTarget.objects.filter(partner=partner, metric=metric).delete()
