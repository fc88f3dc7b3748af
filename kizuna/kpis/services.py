"""Writes of the KPI app: sales figures (spreadsheet or API, all or nothing) and the principal's targets."""

import csv
import io
import uuid
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
from kizuna.ops.trail import Action, Change, audit_record, audit_record_many, changed_fields
from kizuna.orgs.access import visible_reps
from kizuna.orgs.models import Organization

from .models import KpiTarget, Metric, SalesFigure, TargetKind
from .periods import current_month, month_add, parse_month
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


def _import_record(*, figures: list[SalesFigure], created: list[SalesFigure], by: User, source: str) -> None:
    """Record a load of sales figures in the trail: one entry per agency, with how many rows and which months."""
    new = {id(f) for f in created}
    per_partner: dict[int, dict[str, Any]] = {}
    for figure in figures:
        entry = per_partner.setdefault(figure.partner_id, {"created": 0, "updated": 0, "months": set()})
        entry["created" if id(figure) in new else "updated"] += 1
        entry["months"].add(figure.period.strftime("%Y-%m"))
    for partner_id, entry in sorted(per_partner.items()):
        audit_record(
            action=Action.KPI_IMPORT,
            actor=by,
            organization_id=partner_id,
            after={
                "source": source,
                "created": entry["created"],
                "updated": entry["updated"],
                "months": sorted(entry["months"]),
            },
        )


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
        _import_record(figures=result.figures, created=to_create, by=by, source=source)
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
    with transaction.atomic():
        before = _target_state(KpiTarget.objects.filter(partner=partner, metric=metric).first())
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
        old, new = changed_fields(before, _target_state(target))
        if old or new:
            audit_record(
                action=Action.KPI_TARGET_UPDATE,
                actor=by,
                target=target,
                target_label=metric,
                organization_id=partner.pk if partner else None,
                before=old,
                after=new,
            )
    return target


def _target_state(target: KpiTarget | None) -> dict[str, Any]:
    if target is None:
        return {}
    return {
        "metric": target.metric,
        "value": target.value,
        "kind": target.kind,
        "baseline_from": target.baseline_from.isoformat() if target.baseline_from else None,
        "baseline_to": target.baseline_to.isoformat() if target.baseline_to else None,
    }


def kpi_target_clear(*, partner: Organization, metric: str) -> None:
    """Remove an agency's own target, so the target for every agency applies again."""
    with transaction.atomic():
        for target in KpiTarget.objects.filter(partner=partner, metric=metric):
            audit_record(
                action=Action.KPI_TARGET_UPDATE,
                target=target,
                target_label=metric,
                organization_id=partner.pk,
                before=_target_state(target),
            )
            target.delete()


# --- Experiments: a course rolled out at random ----------------------------------------------------------------

# The rates, and the other imported KPIs as counts per rep and month (`experiments.METRICS`).
EXPERIMENT_METRICS = ("appointment_rate", "close_rate", "appointments", "closed", "calls")
PRIOR_MONTHS = 3  # the months before the start whose metric level stratifies the draw (and the analysis' baseline)
MIN_REPS = 4


@dataclass(frozen=True)
class ExperimentDesign:
    """What the admin chose on the form; `experiment_start` checks it."""

    metric: str
    design: str
    start: date
    period: int = 3  # holdout: months
    held_out: float = 0.5  # holdout: share of the eligible reps who get it after the period
    waves: int = 3
    spacing: int = 1  # waves: months between waves


def _experiment_check(design: ExperimentDesign, *, today: date) -> None:
    from .models import Experiment

    if design.metric not in EXPERIMENT_METRICS:
        raise KpiError(_("Choose the primary metric."), field="metric")
    if design.design not in Experiment.Design.values:
        raise KpiError(_("Choose a design."), field="design")
    this = current_month() if today is None else today.replace(day=1)
    if not this <= design.start <= month_add(this, 3):
        raise KpiError(_("The experiment starts this month or in one of the next three."), field="start")
    if design.design == Experiment.Design.HOLDOUT:
        if not 1 <= design.period <= 12:
            raise KpiError(_("The period is 1 to 12 months."), field="period")
        if not 0.1 <= design.held_out <= 0.9:
            raise KpiError(_("Hold out 10 to 90 percent of the reps."), field="held_out")
    else:
        if not 2 <= design.waves <= 6:
            raise KpiError(_("Choose 2 to 6 waves."), field="waves")
        if not 1 <= design.spacing <= 3:
            raise KpiError(_("Waves are 1 to 3 months apart."), field="spacing")


def experiment_eligible(
    *, course_id: int | None = None, partner_ids: list[int], kind: str = "course", content_id: int | None = None
) -> list[tuple[int, int, int | None]]:
    """The reps an experiment of this content on these agencies would draw: (rep, agency, team) of the active reps
    whom nothing of the content reaches yet (another assignment, the audience) and who have not used it, in a
    stable order. A course is `course_id` or (kind "course", `content_id`)."""
    from kizuna.catalog.rollouts import rollout_kind
    from kizuna.orgs.selectors import active_rep_memberships

    rollout = rollout_kind(kind)
    content_id = course_id if course_id is not None else content_id
    assert content_id is not None
    reps = list(
        active_rep_memberships(partner_ids=partner_ids)
        .order_by("organization_id", "team_id", "user_id")
        .values_list("user_id", "organization_id", "team_id")
    )
    reach = rollout.reach(content_id, partner_ids)
    started = rollout.exposure(content_id, [rep for rep, _p, _t in reps])
    return [
        (rep, partner, team)
        for rep, partner, team in reps
        if rep not in started and not reach.reaching(partner_id=partner, team_id=team, rep_id=rep)
    ]


def experiment_strata(*, eligible: list[tuple[int, int, int | None]], prior: dict[int, float]) -> list[str]:
    """Each rep's stratum: agency, team, and whether their prior metric is above their team's median (or unknown)."""
    by_team: dict[tuple[int, int | None], list[float]] = {}
    for rep, partner, team in eligible:
        if rep in prior:
            by_team.setdefault((partner, team), []).append(prior[rep])
    medians = {key: sorted(values)[len(values) // 2] for key, values in by_team.items()}
    strata = []
    for rep, partner, team in eligible:
        level = "none" if rep not in prior else "high" if prior[rep] >= medians[partner, team] else "low"
        strata.append(f"agency:{partner}|team:{team or '-'}|prior:{level}")
    return strata


def experiment_draw(*, strata: list[str], design: ExperimentDesign, seed: int) -> list[str]:
    """The draw: each rep's group ("treatment"/"control", or the wave "1"…), stratified, from the seed alone."""
    import numpy as np

    from .experiments import CONTROL, TREATMENT, assign

    if design.design == "holdout":
        groups = {TREATMENT: 1 - design.held_out, CONTROL: design.held_out}
    else:
        groups = {str(k): 1 / design.waves for k in range(1, design.waves + 1)}
    return assign(strata, groups, np.random.default_rng(seed))


def experiment_release_month(*, design: ExperimentDesign, group: str) -> date:
    if design.design == "holdout":
        return design.start if group == "treatment" else month_add(design.start, design.period)
    return month_add(design.start, (int(group) - 1) * design.spacing)


def _experiment_months(design: ExperimentDesign) -> int:
    return design.period if design.design == "holdout" else design.waves * design.spacing


@transaction.atomic
def experiment_start(
    *,
    course: Any = None,
    kind: str = "course",
    content_id: int | None = None,
    partners: list[Organization],
    design: ExperimentDesign,
    started_by: User,
    seed: int | None = None,
    planned_effect: float | None = None,
    today: date | None = None,
) -> Any:
    """Start a rollout as an experiment: draw the eligible reps into arms or waves (stratified, seeded), store and
    record the draw as statements, fix the analysis (preregistration), withhold the content from everyone it is not
    given to (the kind's `prepare`) and release what is due now.

    What is rolled out: a `course`, or any rollout kind (`catalog.rollouts`) and the id of its content."""
    import secrets

    from kizuna.catalog.rollouts import rollout_kind

    from .experiments import ESTIMATOR_VERSION, METRICS
    from .models import Experiment, ExperimentUnit

    today = today or timezone.localdate()
    if course is not None or kind == "course":
        if course is None and content_id is not None:
            from kizuna.catalog.selectors import published_courses

            course = published_courses().filter(pk=content_id).first()
        if course is None or course.latest_version_id is None:
            raise KpiError(_("Publish the course before rolling it out."), field="course")
        kind, content_id = "course", course.pk
    try:
        rollout = rollout_kind(kind)
    except KeyError:
        raise KpiError(_("Choose what to roll out."), field="rollout") from None
    problem = rollout.problem(content_id) if content_id is not None else _("Choose what to roll out.")
    if problem:
        raise KpiError(problem, field="course" if kind == "course" else "rollout")
    assert content_id is not None
    if not partners or any(p.kind != Organization.Kind.PARTNER for p in partners):
        raise KpiError(_("Choose at least one partner."), field="partners")
    _experiment_check(design, today=today)
    partner_ids = sorted(p.pk for p in partners)
    eligible = experiment_eligible(kind=kind, content_id=content_id, partner_ids=partner_ids)
    if len(eligible) < MIN_REPS:
        raise KpiError(
            _("Too few reps can take part: %(n)s have not been given this training yet; an experiment needs 4 or more.")
            % {"n": len(eligible)}
            if kind == "course"
            else _("Too few reps can take part: %(n)s have not been given it yet; an experiment needs 4 or more.")
            % {"n": len(eligible)},
            field="partners",
        )
    if len({(partner, team or -rep) for rep, partner, team in eligible}) < 2:
        raise KpiError(_("The reps must be in at least two teams, to compare teams with teams."), field="partners")
    from .rollouts import prior_levels

    prior = prior_levels(
        reps=[rep for rep, _p, _t in eligible], partner_ids=partner_ids, metric=design.metric, before=design.start
    )
    strata = experiment_strata(eligible=eligible, prior=prior)
    seed = secrets.randbits(62) if seed is None else seed
    groups = experiment_draw(strata=strata, design=design, seed=seed)
    months = _experiment_months(design)
    end = month_add(design.start, months)
    experiment = Experiment.objects.create(
        kind=kind,
        content_id=content_id,
        course=course if kind == "course" else None,
        metric=design.metric,
        design=design.design,
        start=design.start,
        months=months,
        held_out=design.held_out if design.design == "holdout" else 0.0,
        waves=design.waves if design.design == "waves" else 0,
        spacing=design.spacing if design.design == "waves" else 1,
        seed=seed,
        planned_effect=planned_effect,
        started_by=started_by,
        preregistration={
            "rolled_out": {"kind": kind, "id": content_id},
            "metric": design.metric,
            "metric_definition": METRICS[design.metric].label,
            "design": design.design,
            "start": design.start.isoformat(),
            "end": end.isoformat(),
            "baseline_months": PRIOR_MONTHS,
            "estimator_version": ESTIMATOR_VERSION,
            "estimator": (
                "difference in the metric over the period, treatment − control, OLS with team fixed effects, CR1 "
                "errors clustered by team counting every effect in the small-sample factor, t with teams − 1 df"
                if design.design == "holdout"
                else "two-way fixed effects (rep, month) on trained-by-this-month over the baseline and the waves, "
                "CR1 errors clustered by team counting every effect in the small-sample factor, t with teams − 1 df"
            ),
            "analysis": "intention to treat: every rep in the arm or wave the draw gave them",
            "alpha": 0.05,
            "sided": "two-sided",
            "interim": "always-valid (mixture sequential) 95% interval only",
            "strata": "agency, team, prior metric above/below the team's median over the 3 months before",
            "seed": str(seed),
            "randomizer": "kizuna.kpis.experiments.assign with numpy.random.default_rng(seed)",
            "held_out": design.held_out if design.design == "holdout" else None,
            "waves": design.waves if design.design == "waves" else None,
            "spacing_months": design.spacing if design.design == "waves" else None,
            "eligible_reps": len(eligible),
            "planned_mde": planned_effect,
        },
    )
    experiment.partners.set(partners)
    units = [
        ExperimentUnit(
            experiment=experiment,
            rep_id=rep,
            partner_id=partner,
            team_id=team,
            position=position,
            stratum=stratum,
            group=group,
            release_on=experiment_release_month(design=design, group=group),
            statement_id=uuid.uuid4(),
        )
        for position, ((rep, partner, team), stratum, group) in enumerate(zip(eligible, strata, groups, strict=True))
    ]
    ExperimentUnit.objects.bulk_create(units)
    rollout.prepare(content_id, started_by, partner_ids)
    title = rollout.title(content_id) or ""
    _experiment_record(experiment=experiment, units=units, by=started_by, title=title)
    _experiment_audit(experiment=experiment, units=units, by=started_by, title=title)
    experiment_release_due(today=today, experiment_id=experiment.pk)
    return experiment


def _experiment_record(*, experiment: Any, units: list[Any], by: User, title: str) -> None:
    """One statement per rep: who (the admin) allocated whom to which arm or wave, starting when, with the seed."""
    from django.conf import settings

    from kizuna.records import vocab as records_vocab
    from kizuna.records.services import Activity, statement_record

    from . import vocab

    activity = Activity(
        iri=f"{settings.SITE_URL}/kpis/experiments/{experiment.pk}/",
        type=vocab.TYPE_EXPERIMENT,
        name={"ja-JP": f"実験: {title}", "en-US": f"Experiment: {title}"},
    )
    for unit in units:
        statement_record(
            actor=by,
            verb=vocab.ALLOCATED,
            activity=activity,
            statement_id=unit.statement_id,
            extensions={
                records_vocab.EXT_ASSIGNEE.iri: {"type": "rep", "id": unit.rep_id},
                vocab.EXT_ARM.iri: unit.group,
                vocab.EXT_RELEASE.iri: unit.release_on.strftime("%Y-%m"),
                vocab.EXT_SEED.iri: str(experiment.seed),
                vocab.EXT_STRATUM.iri: unit.stratum,
                vocab.EXT_POSITION.iri: unit.position,
            },
        )


def _experiment_audit(*, experiment: Any, units: list[Any], by: User, title: str) -> None:
    """One trail entry per agency taking part (its manager sees that its reps were drawn, and how), so each
    agency's trail is complete without showing it the other agencies' reps."""
    per_partner: dict[int, dict[str, int]] = {}
    for unit in units:
        groups = per_partner.setdefault(unit.partner_id, {})
        groups[unit.group] = groups.get(unit.group, 0) + 1
    design = {
        "kind": experiment.kind,
        "content": title,
        "metric": experiment.metric,
        "design": experiment.design,
        "start": experiment.start,
        "months": experiment.months,
        "seed": str(experiment.seed),
        "partners": sorted(per_partner),
    }
    audit_record_many(
        action=Action.EXPERIMENT_START,
        actor=by,
        changes=[
            Change(
                target=experiment,
                organization_id=partner_id,
                target_label=f"{title} (#{experiment.pk})",
                after={**design, "reps_by_group": dict(sorted(groups.items()))},
            )
            for partner_id, groups in sorted(per_partner.items())
        ],
    )


def experiment_release_due(*, today: date | None = None, experiment_id: int | None = None) -> int:
    """Give the content (its kind's `give`: for a course a required per-rep assignment) to every drawn rep whose
    month has come; return how many."""
    from datetime import datetime, time, timedelta

    from kizuna.catalog.rollouts import rollout_kind

    from .models import ExperimentUnit

    today = today or timezone.localdate()
    due = ExperimentUnit.objects.filter(release_on__lte=today, released_at__isnull=True).select_related(
        "experiment__started_by", "rep"
    )
    if experiment_id is not None:
        due = due.filter(experiment_id=experiment_id)
    released = 0
    for unit in due.order_by("pk"):
        experiment = unit.experiment
        by = experiment.started_by
        if by is None:
            continue
        due_day = max(today, unit.release_on) + timedelta(days=experiment.due_days)
        due_at = timezone.make_aware(datetime.combine(due_day, time(23, 59)))
        try:
            with transaction.atomic():
                content_id = experiment.content_id or 0  # set at start (and by the migration for older ones)
                handle = rollout_kind(experiment.kind).give(content_id, unit.rep, by, due_at)
                unit.released_at = timezone.now()
                unit.assignment_id = handle
                unit.save(update_fields=["released_at", "assignment_id"])
        except ApplicationError:
            continue  # no longer a rep (left, or another role): nothing to give; the others still get theirs
        released += 1
    return released


@transaction.atomic
def experiment_rewind(*, experiment: Any, start: date) -> int:
    """Move an experiment (and every rep's month) so that it starts at `start` — for the demo's fast-forward only,
    which then simulates the period's figures; the preregistration keeps the original dates. Return the shift."""
    from .models import ExperimentUnit

    start = start.replace(day=1)
    shift = (start.year - experiment.start.year) * 12 + start.month - experiment.start.month
    if shift == 0:
        return 0
    for unit in ExperimentUnit.objects.filter(experiment=experiment).only("pk", "release_on"):
        unit.release_on = month_add(unit.release_on, shift)
        unit.save(update_fields=["release_on"])
    experiment.preregistration = {
        **experiment.preregistration,
        "fast_forwarded": {"from": experiment.start.isoformat(), "to": start.isoformat()},
    }
    before = {"start": experiment.start}
    experiment.start = start
    experiment.save(update_fields=["start", "preregistration"])
    audit_record(
        action=Action.EXPERIMENT_MOVE,
        target=experiment,
        target_label=f"#{experiment.pk}",
        before=before,
        after={"start": start, "shift_months": shift},
    )
    return shift
