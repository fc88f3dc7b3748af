"""Demo sales figures: 14 months per rep, with the demo courses' effect visible, and the principal's targets.

Each rep gets a steady personal appointment rate (from a generator seeded by their e-mail address), a gentle
seasonal swing (busy in March and December) and binomial noise. After the month a rep finished the course
"product-basics" their appointment rate is 5 points higher and their close rate 3 points higher, so the KPI
board's trend and "did learning move sales?" show an effect of about the size planted. The current month has
figures to date. Everything goes through the KPI services, as a CRM load would.
"""

import random
from datetime import date, datetime
from typing import Any

from kizuna.kpis import selectors as kpi_selectors
from kizuna.kpis import services as kpis
from kizuna.kpis.models import Metric, SalesFigure, TargetKind
from kizuna.kpis.periods import month_add, month_of
from kizuna.orgs.models import Membership
from kizuna.orgs.selectors import active_rep_memberships

MONTHS = 14
EFFECT_COURSE = "product-basics"
PRODUCT = "kizuna-attendance"
SEASON = {3: 0.02, 12: 0.015, 8: -0.02, 1: -0.01}
REVENUE_PER_DEAL = (90_000, 160_000)


def _admin() -> Any:
    return Membership.objects.filter(role=Membership.Role.ADMIN).select_related("user").order_by("pk").first().user


def _rows(*, now: datetime, finished: dict[int, date]) -> list[tuple[int, dict[str, Any]]]:
    this = month_of(now)
    product = PRODUCT if product_exists() else ""
    months = [month_add(this, -back) for back in range(MONTHS - 1, -1, -1)]
    rows: list[tuple[int, dict[str, Any]]] = []
    for m in active_rep_memberships().select_related("user").order_by("user__email"):
        rows += rep_rows(m.user, now=now, months=months, finished=finished, product=product, first_line=len(rows) + 2)
    return rows


def rep_profile(rep: Any) -> tuple[random.Random, float, float, int]:
    """A rep's generator (seeded by their e-mail address), steady appointment rate, close rate and calls a month."""
    rng = random.Random(rep.email)  # noqa: S311 - demo data, not security
    return rng, rng.uniform(0.11, 0.24), rng.uniform(0.22, 0.34), rng.randint(90, 150)


def rep_rows(
    rep: Any, *, now: datetime, months: list[date], finished: dict[int, date], product: str, first_line: int = 2
) -> list[tuple[int, dict[str, Any]]]:
    """One rep's sales rows for these months: after the month they finished the course, 5 points more appointments
    and 3 points more deals closed."""
    this = month_of(now)
    share_of_month = min(1.0, max(0.1, now.day / 28))
    rng, base, close, calls_per_month = rep_profile(rep)
    rows = []
    for month in months:
        after = rep.pk in finished and month > finished[rep.pk]
        rate = min(0.9, max(0.02, base + SEASON.get(month.month, 0.0) + (0.05 if after else 0.0)))
        close_rate = min(0.9, close + (0.03 if after else 0.0))
        calls = round(calls_per_month * rng.uniform(0.85, 1.15) * (share_of_month if month == this else 1.0))
        appointments = sum(rng.random() < rate for _ in range(calls))
        deals = sum(rng.random() < close_rate for _ in range(appointments))
        rows.append(
            (
                first_line + len(rows),
                {
                    "rep_email": rep.email,
                    "month": month.strftime("%Y-%m"),
                    "product": product,
                    "calls": calls,
                    "appointments": appointments,
                    "deals": deals,
                    "revenue": deals * rng.randint(*REVENUE_PER_DEAL) // 1000 * 1000,
                },
            )
        )
    return rows


def product_exists() -> bool:
    from kizuna.catalog.selectors import products_all

    return products_all().filter(slug=PRODUCT).exists()


def seed_kpis(*, now: datetime) -> None:
    """Load 14 months of sales figures for every demo rep and set the principal's targets."""
    admin = _admin()
    finished = kpi_selectors.course_finish_months(course_slug=EFFECT_COURSE)
    kpis.sales_figures_upsert(rows=_rows(now=now, finished=finished), by=admin, source=SalesFigure.Source.DEMO)
    kpis.kpi_target_set(partner=None, metric=Metric.COMPLETION, value=90, by=admin)
    kpis.kpi_target_set(partner=None, metric=Metric.AVERAGE_SCORE, value=85, by=admin)
    this = month_of(now)
    kpis.kpi_target_set(
        partner=None,
        metric=Metric.APPOINTMENT_UPLIFT,
        value=5,
        kind=TargetKind.POINTS,
        baseline_from=month_add(this, -6),
        baseline_to=month_add(this, -4),
        by=admin,
    )
