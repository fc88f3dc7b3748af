"""Sales KPIs on the bench data: the KPI board, "did learning move sales?" and the rollup rebuild.

1. applies the `kpis` app's migrations if they are missing;
2. rebuilds the learning rollups (LearningMonth, CourseCompletion, Recognition) from the 2,000,000 statements
   and reports the time (`kpis` projection's `rebuild()`, as `manage.py rebuild_projections` runs it);
3. adds 24 months of sales figures for every bench rep (one product row per rep and month, ~240,000 rows),
   idempotently: the same rep, month and product are upserted through `sales_figures_upsert`, so running it again
   changes nothing; reps who finished their agency's most-finished course get +5 points of appointment rate after it;
4. measures in-process with the test client (no network), rounds per page: the principal's KPI board of every
   agency (20 agencies), bench-p01's board as its manager (500 reps), one team's board, a trend chart (SVG),
   "did learning move sales?" for bench-p01 and its most-finished course, rising talent for the principal.

    .venv/bin/python bench/kpis.py                 # make bench-kpis
    .venv/bin/python bench/kpis.py --rounds 40 --skip-rebuild
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import TARGET_PARTNER_SLUG, default_database_url, log, setup_django  # noqa: E402

MONTHS = 24
PRODUCT_SLUG = "bench-product"


def _ensure_schema() -> None:
    from django.core.management import call_command

    log("applying the kpis app's migrations (if any are missing)")
    call_command("migrate", "kpis", interactive=False, verbosity=0)


def _rebuild() -> dict[str, Any]:
    """Rebuild every rollup of the KPI board from scratch, timing each."""
    from django.db import transaction

    from kizuna.kpis import projections, rollups

    out: dict[str, Any] = {}
    for name, rebuild in (
        ("learning_rollups_from_statements", projections.rebuild),
        ("sales_months_from_figures", rollups.sales_months_rebuild),
        ("completion_snapshots", rollups.completion_refresh_all),
    ):
        started = time.perf_counter()
        with transaction.atomic():
            rows = rebuild()
        out[name] = {"rows": rows, "seconds": round(time.perf_counter() - started, 2)}
    return out


def _seed(rng: random.Random) -> dict[str, Any]:
    """Upsert 24 months of figures per rep, one agency at a time (idempotent)."""
    from django.db.models import Count

    from kizuna.catalog.models import Product
    from kizuna.kpis import services
    from kizuna.kpis.models import CourseCompletion, SalesFigure
    from kizuna.kpis.periods import current_month, month_add, month_of
    from kizuna.orgs.models import Membership, Organization

    Product.objects.get_or_create(slug=PRODUCT_SLUG, defaults={"name": "ベンチ製品"})
    admin = Membership.objects.filter(role="admin").select_related("user").first().user
    this = current_month()
    months = [month_add(this, -n) for n in range(MONTHS - 1, -1, -1)]
    started = time.perf_counter()
    created = updated = 0
    for partner in Organization.objects.filter(kind="partner").order_by("slug"):
        reps = list(
            Membership.objects.filter(organization=partner, role="rep", user__is_active=True)
            .order_by("user_id")
            .values_list("user_id", "user__email")
        )
        if SalesFigure.objects.filter(partner=partner, period__in=months).count() >= len(reps) * MONTHS:
            continue
        top = (
            CourseCompletion.objects.filter(partner=partner)
            .values("course_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("course_id", flat=True)
            .first()
        )
        finished = {
            rep: month_of(at)
            for rep, at in CourseCompletion.objects.filter(partner=partner, course_id=top).values_list(
                "rep_id", "completed_at"
            )
        }
        rows = []
        for rep_id, email in reps:
            r = random.Random(rep_id)  # noqa: S311 - bench data
            base, close = r.uniform(0.1, 0.26), r.uniform(0.2, 0.35)
            for month in months:
                after = rep_id in finished and month > finished[rep_id]
                calls = r.randint(80, 150)
                appointments = sum(r.random() < base + (0.05 if after else 0) for _ in range(calls))
                deals = sum(r.random() < close for _ in range(appointments))
                rows.append(
                    (
                        len(rows) + 2,
                        {
                            "rep_email": email,
                            "month": month.strftime("%Y-%m"),
                            "product": PRODUCT_SLUG,
                            "calls": calls,
                            "appointments": appointments,
                            "deals": deals,
                            "revenue": deals * 120_000,
                        },
                    )
                )
        result = services.sales_figures_upsert(rows=rows, by=admin, source="import")
        created, updated = created + result.created, updated + result.updated
        log(f"  {partner.slug}: {result.created} new, {result.updated} updated")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE kpis_salesfigure; ANALYZE kpis_learningmonth; ANALYZE kpis_coursecompletion;")
    return {
        "created": created,
        "updated": updated,
        "rows": SalesFigure.objects.count(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def _measure(rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from kizuna.kpis.models import CourseCompletion
    from kizuna.orgs.models import Membership, Organization

    admin = Membership.objects.filter(role="admin").select_related("user").first().user
    partner = Organization.objects.get(slug=TARGET_PARTNER_SLUG)
    manager = Membership.objects.filter(organization=partner, role="manager").select_related("user").first().user
    team = partner.teams.order_by("pk").first()
    course_id = (
        CourseCompletion.objects.filter(partner=partner)
        .values("course_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("course_id", flat=True)
        .first()
    )
    principal, own = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    principal.force_login(admin)
    own.force_login(manager)
    pages = {
        "board_all_agencies": (principal, "/kpis/"),
        "board_partner_manager": (own, "/kpis/"),
        "board_team": (own, f"/kpis/teams/{team.pk}/"),
        "chart_all_agencies_svg": (principal, "/kpis/chart/appointment_rate.svg"),
        "did_learning_move_sales": (principal, f"/kpis/effect/?course={course_id}&partner={partner.pk}"),
        "rising_talent_all": (principal, "/kpis/rising-talent/"),
    }
    out: dict[str, Any] = {}
    for key, (client, url) in pages.items():
        response = client.get(url)  # warm-up
        assert response.status_code == 200, (url, response.status_code)
        queries: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any, seen: list[str] = queries) -> Any:
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        out[key] = {"url": url, "queries": len(queries), **_stats(samples)}
        log(f"  {key:<26} {out[key]['p50_ms']:>8} ms p50 {out[key]['p95_ms']:>8} ms p95  {len(queries)} queries")
    return out


TARGETS = {
    "board_all_agencies": 500,
    "board_partner_manager": 500,
    "board_team": 500,
    "did_learning_move_sales": 2000,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: `bench/pg.sh url` (the full data set)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--skip-rebuild", action="store_true", help="keep the rollups as they are")
    args = parser.parse_args()
    setup_django(args.database_url or default_database_url())
    _ensure_schema()
    result: dict[str, Any] = {}
    log("adding 24 months of sales figures (idempotent)")
    result["seed"] = _seed(random.Random(8))
    log(f"  {result['seed']}")
    if not args.skip_rebuild:
        log("rebuilding the kpis rollups from scratch")
        result["rebuild"] = _rebuild()
        log(f"  {result['rebuild']}")
    log(f"measuring ({args.rounds} rounds per page)")
    result["pages"] = _measure(args.rounds)
    verdicts = []
    for key, limit in TARGETS.items():
        p95 = result["pages"][key]["p95_ms"]
        verdicts.append(f"{'PASS' if p95 < limit else 'FAIL'} {key}: p95 {p95} ms (target < {limit} ms)")
    result["verdicts"] = verdicts
    out = BENCH / "results" / "kpis-latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for line in verdicts:
        print(line)
    for name, figures in result.get("rebuild", {}).items():
        print(f"rebuild {name}: {figures['seconds']} s ({figures['rows']} rows)")
    print(f"results in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
