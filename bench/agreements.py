"""Agreements on the bench data: the compliance page and the learning-time report at 10,000 reps / 2,000,000 statements.

What it does, in the bench database (full by default):

1. applies the `agreements` app's migrations if they are missing (nothing else is migrated);
2. writes, through the real service, an agreement version for each of the 20 bench partners that has none
   (no courses, so no assignment is added to the shared data set; 120 minutes a month, learning counted
   as work time up to 600 minutes) — idempotent, marked "[bench]" in the evaluation text;
3. rebuilds the learning-time projection (LearningTimeDay + the LearningTimeMonth rollup) from every
   statement and reports how long it took (skip with --skip-rebuild when the rows exist);
4. measures, in-process with Django's test client (the whole request: middleware, view, selectors, template),
   each page --rounds times after two warm-ups, and reports p50/p95 and the SQL query count:
   the manager of bench-p01 (500 reps) on /compliance/, /learning-time/, one rep's /learning-time/reps/<id>/,
   the learning-time CSV and XLSX exports; the principal admin on the 20-partner /compliance/ overview.

    .venv/bin/python bench/agreements.py                 # make bench-agreements
    .venv/bin/python bench/agreements.py --skip-rebuild --rounds 50
    .venv/bin/python bench/agreements.py --cleanup       # delete the [bench] versions and every learning-time row
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import TARGET_PARTNER_SLUG, default_database_url, log, setup_django  # noqa: E402

MARK = "[bench]"
TARGET_MS = 500.0


def ensure_schema() -> None:
    from django.core.management import call_command
    from django.db import connection

    if "agreements_agreementversion" not in connection.introspection.table_names():
        log("applying the agreements app's migrations")
        call_command("migrate", "agreements", interactive=False, verbosity=0)


def ensure_versions() -> int:
    from django.utils import timezone

    from kizuna.agreements.models import AgreementVersion
    from kizuna.agreements.services import agreement_version_create
    from kizuna.orgs.models import Membership, Organization

    admin = Membership.objects.filter(role="admin").select_related("user").first().user
    made = 0
    start = timezone.localdate() - timezone.timedelta(days=120)
    for partner in Organization.objects.filter(kind="partner").order_by("slug"):
        if AgreementVersion.objects.filter(partner=partner).exists():
            continue
        agreement_version_create(
            partner=partner,
            created_by=admin,
            effective_from=start,
            min_minutes_per_month=120,
            counts_as_work=True,
            work_cap_minutes_per_month=600,
            evaluation_text=f"{MARK} 必須コースの修了を評価に反映します。",
            share_rankings=False,
            share_reviews=False,
            share_community=True,
            manager_may_export=True,
            retention_days=90,
            courses=[],
        )
        made += 1
    return made


def cleanup() -> dict[str, int]:
    from kizuna.agreements.models import AgreementVersion, LearningTimeDay, LearningTimeMonth

    versions, _ = AgreementVersion.objects.filter(evaluation_text__startswith=MARK).delete()
    days, _ = LearningTimeDay.objects.all().delete()
    months, _ = LearningTimeMonth.objects.all().delete()
    return {"versions": versions, "days": days, "months": months}


def rebuild() -> dict[str, Any]:
    from django.db import transaction

    from kizuna.agreements import learning_time
    from kizuna.agreements.models import LearningTimeMonth

    started = time.perf_counter()
    with transaction.atomic():
        days = learning_time.rebuild()
    seconds = time.perf_counter() - started
    return {"day_rows": days, "month_rows": LearningTimeMonth.objects.count(), "seconds": round(seconds, 1)}


class QueryCounter:
    """An execute wrapper that counts the SQL statements of one request."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def measure(rounds: int) -> list[dict[str, Any]]:
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from kizuna.orgs.models import Membership, Organization

    setup_test_environment()

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    partner = Organization.objects.get(slug=TARGET_PARTNER_SLUG)
    members = Membership.objects.filter(organization=partner).select_related("user")
    manager = next(m.user for m in members if m.role == "manager")
    rep = next(m.user for m in members.order_by("user_id") if m.role == "rep" and m.user.is_active)
    admin = Membership.objects.filter(role="admin").select_related("user").first().user
    reps = sum(1 for m in members if m.role == "rep")
    pages = [
        (f"compliance (manager, {reps} reps)", manager, "/compliance/"),
        ("compliance, gaps only", manager, "/compliance/?gaps=1"),
        ("learning time (manager)", manager, "/learning-time/"),
        ("learning time of one rep", manager, f"/learning-time/reps/{rep.pk}/"),
        ("learning time CSV per day", manager, "/learning-time/export/?format=csv"),
        ("learning time XLSX per day", manager, "/learning-time/export/?format=xlsx"),
        ("compliance CSV", manager, "/compliance/export/?format=csv"),
        ("compliance overview (admin, 20 partners)", admin, "/compliance/"),
        ("compliance of bench-p01 (admin)", admin, f"/compliance/partners/{partner.pk}/"),
    ]
    results = []
    sessions = []
    for label, user, url in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            client.get(url)
        sessions.append(client.session.session_key)
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        ordered = sorted(samples)
        results.append(
            {
                "page": label,
                "url": url,
                "queries": counter.count,
                "p50_ms": round(statistics.median(ordered), 1),
                "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
                "bytes": len(response.content),
            }
        )
        log(f"  {label}: p95 {results[-1]['p95_ms']} ms")
    Session.objects.filter(session_key__in=sessions).delete()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--cleanup", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    setup_django(args.database_url or default_database_url())
    ensure_schema()
    if args.cleanup:
        print(json.dumps(cleanup()))
        return 0
    made = ensure_versions()
    log(f"agreement versions written: {made}")
    from kizuna.agreements.models import LearningTimeDay

    report: dict[str, Any] = {"versions_written": made}
    if args.skip_rebuild and LearningTimeDay.objects.exists():
        report["rebuild"] = None
    else:
        log("rebuilding the learning-time projection from every statement…")
        report["rebuild"] = rebuild()
        log(f"  {report['rebuild']}")
    report["pages"] = measure(args.rounds)
    load = os.getloadavg()
    print()
    if report["rebuild"]:
        r = report["rebuild"]
        print(f"learning-time rebuild: {r['day_rows']:,} day rows, {r['month_rows']:,} month rows in {r['seconds']} s")
    print(f"load average {load[0]:.1f} (2 CPUs shared with other work: compare ratios, not absolute numbers)")
    print(f"{'page':45} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    failed = False
    for row in report["pages"]:
        print(f"{row['page']:45} {row['queries']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8}")
    for row in report["pages"]:
        if row["url"] in ("/compliance/", "/learning-time/") or row["url"].startswith("/compliance/partners/"):
            ok = row["p95_ms"] < TARGET_MS
            failed |= not ok
            print(f"{'PASS' if ok else 'FAIL'}  {row['page']} p95 < {TARGET_MS:.0f} ms: {row['p95_ms']} ms")
    out = BENCH / "results" / "agreements-latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
