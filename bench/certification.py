"""Certifications on the bench data: the full rebuild of the projection and the agency-wide reads.

On the full bench database (10,000 reps, 2,000,000 statements) this script:

1. applies the certification and incentives migrations if they are missing;
2. defines (once, idempotently) a "[bench]" certification that requires the two most finished
   courses and grants one entitlement (defining it with no evidence yet records no events);
3. times ``rebuild()`` of the certification projection: reading every completed/passed/failed
   statement into Evidence and deriving every holding (no statements or events are written);
4. times, with the test client, partner bench-p01's holders page and
   ``GET /api/v1/entitlements?partner=`` (500 reps) and counts their SQL queries.

    .venv/bin/python bench/certification.py            # make bench-certification
    .venv/bin/python bench/certification.py --cleanup  # remove the [bench] definitions again
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import TARGET_PARTNER_SLUG, default_database_url, log, setup_django  # noqa: E402

SLUG = "bench-cert"


def _ensure_schema() -> None:
    from django.core.management import call_command
    from django.db import connection

    tables = connection.introspection.table_names()
    if "certification_holding" not in tables or "incentives_incentiverule" not in tables:
        log("applying the certification and incentives migrations")
        call_command("migrate", "incentives", interactive=False, verbosity=0)


def _define() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from kizuna.catalog.models import Course
    from kizuna.certification import services
    from kizuna.certification.models import Certification, Entitlement
    from kizuna.records.models import CourseProgress

    if Certification.objects.filter(slug=SLUG).exists():
        return
    admin = get_user_model().objects.filter(membership__role="admin").first()
    entitlement = Entitlement.objects.filter(code=SLUG).first() or services.entitlement_create(
        code=SLUG, name="[bench] sell"
    )
    top = (
        CourseProgress.objects.filter(completed_at__isnull=False)
        .values("course_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:2]
    )
    cert = services.certification_create(
        slug=SLUG, name="[bench] certification", created_by=admin, validity_days=365, entitlements=[entitlement]
    )
    for row in top:
        course = Course.objects.get(pk=row["course_id"])
        services.requirement_add(certification=cert, kind="course", label=course.title, course=course)


def _cleanup() -> None:
    from kizuna.certification.models import Certification, Entitlement

    Certification.objects.filter(slug=SLUG).delete()
    Entitlement.objects.filter(code=SLUG).delete()
    log("removed the [bench] certification")


def _timed(client, path: str, rounds: int = 5) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=default_database_url())
    parser.add_argument("--cleanup", action="store_true")
    args = parser.parse_args()
    setup_django(args.database_url)
    _ensure_schema()
    if args.cleanup:
        _cleanup()
        return
    _define()
    from django.db import transaction
    from django.test import Client

    from kizuna.certification.models import Evidence, Holding
    from kizuna.certification.projections import rebuild
    from kizuna.orgs.models import Membership, Organization

    start = time.perf_counter()
    with transaction.atomic():
        holdings = rebuild()
    rebuild_s = time.perf_counter() - start
    log(f"rebuild: {Evidence.objects.count():,} evidence rows, {holdings:,} holdings in {rebuild_s:.1f} s")
    log(f"certified: {Holding.objects.filter(status='certified').count():,}")
    partner = Organization.objects.get(slug=TARGET_PARTNER_SLUG)
    manager = Membership.objects.filter(organization=partner, role="manager").select_related("user").first().user
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    for label, path in (
        ("holders page", f"/certifications/partners/{partner.pk}/"),
        ("entitlements API (partner)", f"/api/v1/entitlements?partner={partner.pk}"),
    ):
        ms, queries, status = _timed(client, path)
        log(f"{label}: HTTP {status}, median {ms:.0f} ms, {queries} queries")


if __name__ == "__main__":
    main()
