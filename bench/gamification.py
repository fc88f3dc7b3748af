"""Gamification on the bench data: a full rebuild of the points projections and the ranking pages.

On the full data set (10,000 reps in 20 partners, 2,000,000 statements), in this process:

1. applies the `gamification` app's migrations if they are missing (nothing else is migrated);
2. rebuilds every gamification projection from all statements (points ledger, per-person totals,
   weekly/monthly totals, badges) and times it (target: under 2 minutes), unless --skip-rebuild
   and the projection is already there;
3. loads the ranking page in-process with the test client, for a rep and the manager of partner
   bench-p01 (team, agency) and the principal's admin (all agencies, one agency), for this week,
   this month and all time: SQL query count, median and p95 latency over --rounds requests.

It writes only to the gamification tables (and the sessions of the three people it signs in, which
it removes again); the generated statements and the other projections stay as they are.

    .venv/bin/python bench/gamification.py                 # make bench-gamification
    .venv/bin/python bench/gamification.py --skip-rebuild  # only the ranking pages
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import RESULTS, TARGET_PARTNER_SLUG, default_database_url, log, setup_django  # noqa: E402

TARGET_SECONDS = 120.0


def _ensure_schema() -> None:
    from django.core.management import call_command
    from django.db import connection

    if "gamification_repscore" not in connection.introspection.table_names():
        log("applying the gamification app's migrations")
        call_command("migrate", "gamification", interactive=False, verbosity=0)


def _rebuild() -> dict[str, Any]:
    from kizuna.gamification.models import BadgeAward, PeriodScore, PointAward, RepScore
    from kizuna.gamification.projections import rebuild

    log("rebuilding the gamification projections from every statement…")
    started = time.perf_counter()
    rows = rebuild()
    seconds = time.perf_counter() - started
    result = {
        "seconds": round(seconds, 1),
        "rows": rows,
        "rep_scores": RepScore.objects.count(),
        "point_awards": PointAward.objects.count(),
        "period_scores": PeriodScore.objects.count(),
        "badge_awards": BadgeAward.objects.count(),
        "target_seconds": TARGET_SECONDS,
        "pass": seconds < TARGET_SECONDS,
    }
    log(f"rebuild: {seconds:.1f} s, {rows} rows ({'PASS' if result['pass'] else 'FAIL'} < {TARGET_SECONDS:.0f} s)")
    return result


def _people() -> dict[str, Any]:
    from kizuna.gamification.models import RepScore
    from kizuna.orgs.models import Membership, Organization

    partner = Organization.objects.get(slug=TARGET_PARTNER_SLUG)
    # The rep with the most points who has a team: their boards are full.
    rep_id = (
        RepScore.objects.filter(partner=partner, user__membership__team__isnull=False)
        .order_by("-points")
        .values_list("user_id", flat=True)
        .first()
    )
    rep = Membership.objects.select_related("user").get(user_id=rep_id).user
    manager = Membership.objects.select_related("user").filter(organization=partner, role="manager").first().user
    admin = Membership.objects.select_related("user").filter(role="admin").first().user
    return {"partner": partner, "rep": rep, "manager": manager, "admin": admin}


def _measure(client: Any, path: str, rounds: int) -> dict[str, Any]:
    from django.db import connection

    response = client.get(path)  # warm: the first request fills per-process caches
    assert response.status_code == 200, (path, response.status_code)
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    rows = response.content.decode().count("<li class=") if response.status_code == 200 else 0
    return {
        "queries": len(executed),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "rows_on_page": rows,
    }


def _rankings(rounds: int) -> list[dict[str, Any]]:
    from django.test import Client

    people = _people()
    cases = [
        ("rep", "team", {}),
        ("rep", "agency", {}),
        ("manager", "agency", {}),
        ("manager", "team", {}),
        ("admin", "all", {}),
        ("admin", "agency", {"partner": people["partner"].pk}),
    ]
    results = []
    clients: dict[str, Any] = {}
    try:
        for who, scope, extra in cases:
            client = clients.get(who)
            if client is None:
                client = clients[who] = Client(HTTP_HOST="127.0.0.1")
                client.force_login(people[who])
            for period in ("week", "month", "all"):
                query = "&".join(f"{k}={v}" for k, v in {"scope": scope, "period": period, **extra}.items())
                measured = _measure(client, f"/rankings/?{query}", rounds)
                results.append({"as": who, "scope": scope, "period": period, **measured})
                log(
                    f"rankings as {who:7} {scope:6} {period:5}: {measured['queries']:2} queries, "
                    f"median {measured['median_ms']:6.1f} ms, p95 {measured['p95_ms']:6.1f} ms"
                )
    finally:
        for client in clients.values():
            client.logout()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--skip-rebuild", action="store_true", help="keep the projection if it is there")
    args = parser.parse_args()
    setup_django(args.database_url or default_database_url())
    _ensure_schema()
    from kizuna.gamification.models import RepScore
    from kizuna.records.models import Statement

    report: dict[str, Any] = {"statements": Statement.objects.count()}
    if args.skip_rebuild and RepScore.objects.exists():
        report["rebuild"] = None
    else:
        report["rebuild"] = _rebuild()
    report["rankings"] = _rankings(args.rounds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"gamification-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    log(f"wrote {out}")
    return 0 if report["rebuild"] is None or report["rebuild"]["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
