"""Flash updates on the bench data: the rep home's updates strip must not cost more as updates and reps grow.

For each bench database (full, and the small one with --compare-small) and each number of updates
(--sizes, default 10 and 100), this script, in a child process per database:

1. applies the `updates` app's migrations if they are missing (nothing else is migrated);
2. posts N flash updates through the real services (a third to all partners, a third to three
   partners, a third to five teams; half with an acknowledge-by date, a third with a check
   question) and, as projection rows only (no statements: the foundation's statement set stays
   as generated), marks ~60% of each update's audience as having read it and ~45% as confirmed;
3. measures, for 20 reps of partner bench-p01: the SQL query count of
   ``updates_for_home(rep)``, its latency, the strip's render time, and, in-process with the
   test client, the floor page /me/ and the rep home / (as the records app serves it today),
   so that "home + strip" can be compared with the foundation's target (≥ 50% of the floor's
   throughput);
4. deletes every update it posted (their receipts go with them), leaving the database as it was
   apart from the empty `updates_*` tables.

    .venv/bin/python bench/updates.py --compare-small          # make bench-updates
    .venv/bin/python bench/updates.py --seed-only 100          # keep 100 updates for a bench/load.py run
    .venv/bin/python bench/updates.py --cleanup                # and remove them again
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import TARGET_PARTNER_SLUG, default_database_url, log, setup_django  # noqa: E402

TITLE_PREFIX = "[bench] "
N_REPS = 20


def _ensure_schema() -> None:
    from django.core.management import call_command
    from django.db import connection

    if "updates_flashupdate" not in connection.introspection.table_names():
        log("applying the updates app's migrations")
        call_command("migrate", "updates", interactive=False, verbosity=0)


def _cleanup() -> int:
    """Delete the updates this script posted (their receipts and audience rows go with them); return how many."""
    from kizuna.updates.models import FlashUpdate

    _rows, per_model = FlashUpdate.objects.filter(title__startswith=TITLE_PREFIX).delete()
    return per_model.get("updates.FlashUpdate", 0)


def _seed(n_updates: int, rng: random.Random) -> dict[str, int]:
    """Post n updates through the services and write their receipts as projection rows."""
    from django.db import transaction
    from django.utils import timezone

    from kizuna.orgs.models import Membership, Organization, Team
    from kizuna.updates import selectors, services
    from kizuna.updates.models import Receipt

    author = Membership.objects.filter(role="author").select_related("user").first().user
    partners = list(Organization.objects.filter(kind="partner").order_by("slug"))
    teams = list(Team.objects.filter(organization__kind="partner").order_by("pk"))
    now = timezone.now()
    receipts = 0
    with transaction.atomic():
        for i in range(n_updates):
            kind = i % 3
            audience = {"audience": "all"}
            if kind == 1:
                audience = {"audience": "selected", "partners": rng.sample(partners, min(3, len(partners)))}
            elif kind == 2:
                audience = {"audience": "selected", "teams": rng.sample(teams, min(5, len(teams)))}
            update = services.update_create(
                author=author,
                title=f"{TITLE_PREFIX}速報 {i + 1}",
                body="本日からの変更点です。**必ず確認してください。**",
                ack_due_at=now + timedelta(days=rng.randint(1, 10)) if i % 2 == 0 else None,
                question=services.QuestionData(text="正しいのは?", options=["A", "B", "C"], correct=2)
                if i % 3 == 0
                else None,
                when=now - timedelta(days=rng.uniform(0, 25)),
                **audience,
            )
            published_at = now - timedelta(days=rng.uniform(0.1, 25))
            services.update_publish(update=update, publisher=author, when=published_at, notify=False)
            audience_rows = list(selectors.audience_memberships_all(update).values_list("user_id", "organization_id"))
            rows = []
            for user_id, partner_id in audience_rows:
                if rng.random() > 0.6:
                    continue
                seen = published_at + timedelta(minutes=rng.randint(1, 3000))
                acked = seen + timedelta(seconds=90) if rng.random() < 0.75 else None
                rows.append(
                    Receipt(update=update, rep_id=user_id, partner_id=partner_id, seen_at=seen, acknowledged_at=acked)
                )
            Receipt.objects.bulk_create(rows, batch_size=5000)
            receipts += len(rows)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE updates_flashupdate; ANALYZE updates_receipt;")
        cursor.execute("ANALYZE updates_flashupdate_partners; ANALYZE updates_flashupdate_teams;")
    return {"updates": n_updates, "receipts": receipts}


def _timed(fn: Any, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
    }


def _measure(rounds: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from kizuna.updates.selectors import updates_for_home

    translation.activate("ja")
    User = get_user_model()
    reps = list(
        User.objects.filter(membership__organization__slug=TARGET_PARTNER_SLUG, membership__role="rep", is_active=True)
        .select_related("membership")
        .order_by("pk")[:N_REPS]
    )
    counts = []
    items = []
    for rep in reps:
        with CaptureQueriesContext(connection) as captured:
            strip = updates_for_home(rep)
        counts.append(len(captured.captured_queries))
        items.append(len(strip.items))
    selector = []
    render = []
    for rep in reps:
        selector += _timed(lambda rep=rep: updates_for_home(rep), rounds)
        strip = updates_for_home(rep)
        render += _timed(
            lambda strip=strip: render_to_string("updates/_home_strip.html", {"flash_updates": strip}), rounds
        )
    plan = _explain(reps[0])
    pages = {}
    clients = []
    for rep in reps[:4]:
        client = Client()
        client.force_login(rep)
        client.get("/me/")
        client.get("/")
        clients.append(client)
    for key, path in (("floor", "/me/"), ("rep_home", "/")):
        samples = []
        for client in clients:
            samples += _timed(lambda client=client, path=path: client.get(path), rounds)
        pages[key] = _stats(samples)
    home_with_strip = pages["rep_home"]["p50_ms"] + statistics.median(selector) + statistics.median(render)
    return {
        "queries": sorted(set(counts)),
        "items_shown": round(statistics.mean(items), 1),
        "selector": _stats(selector),
        "render": _stats(render),
        "pages": pages,
        "home_with_strip_p50_ms": round(home_with_strip, 2),
        "throughput_ratio": round(pages["floor"]["p50_ms"] / home_with_strip, 2),
        "throughput_ratio_without_strip": round(pages["floor"]["p50_ms"] / pages["rep_home"]["p50_ms"], 2),
        "explain": plan,
    }


def _explain(rep: Any) -> list[str]:
    """EXPLAIN ANALYZE of the strip's one query for one rep (PostgreSQL), trimmed to its summary lines."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kizuna.updates.selectors import updates_for_home

    if connection.vendor != "postgresql":
        return []
    with CaptureQueriesContext(connection) as captured:
        updates_for_home(rep)
    sql = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    return [line for line in lines if "Scan" in line or "Execution Time" in line or "Planning Time" in line][:12]


def child(database_url: str, sizes: list[int], rounds: int) -> dict[str, Any]:
    setup_django(database_url)
    from django.db import connection
    from django.test.utils import setup_test_environment

    from kizuna.orgs.models import Membership

    setup_test_environment()

    _ensure_schema()
    _cleanup()
    result: dict[str, Any] = {
        "database": connection.settings_dict["NAME"],
        "reps": Membership.objects.filter(role="rep").count(),
        "runs": [],
    }
    rng = random.Random(20240415)
    try:
        for n in sizes:
            _cleanup()
            seeded = _seed(n, rng)
            log(f"{result['database']}: {seeded['updates']} updates, {seeded['receipts']:,} receipts; measuring")
            result["runs"].append({**seeded, **_measure(rounds)})
    finally:
        _cleanup()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: `bench/pg.sh url` (the full data set)")
    parser.add_argument("--compare-small", action="store_true", help="also measure the small data set")
    parser.add_argument("--sizes", default="10,100", help="numbers of flash updates to measure with")
    parser.add_argument("--rounds", type=int, default=10, help="timed calls per rep and measurement")
    parser.add_argument(
        "--seed-only",
        type=int,
        metavar="N",
        help="post N updates (and their receipts), keep them and exit: for a `bench/load.py` run with the strip wired",
    )
    parser.add_argument("--cleanup", action="store_true", help="delete the updates this script posted, and exit")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.seed_only is not None or args.cleanup:
        setup_django(args.database_url or default_database_url())
        _ensure_schema()
        log(f"deleted {_cleanup()} bench updates")
        if args.seed_only:
            log(f"posted {_seed(args.seed_only, random.Random(20240415))}")
        return 0
    if args.child:
        print(json.dumps(child(args.database_url, sizes, args.rounds)))
        return 0
    urls = [args.database_url or default_database_url()]
    if args.compare_small:
        urls.append(default_database_url("small"))
    results = []
    for url in urls:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--database-url",
                url,
                "--sizes",
                args.sizes,
                "--rounds",
                str(args.rounds),
            ],
            capture_output=True,
            text=True,
        )
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            sys.exit(f"the measurement on {url} failed (exit {done.returncode})")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print_report(results)
    out = BENCH / "results" / "updates-latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    counts = {q for r in results for run in r["runs"] for q in run["queries"]}
    ok_queries = counts == {1}
    ok_ratio = all(run["throughput_ratio"] >= 0.5 for r in results[:1] for run in r["runs"])
    print(
        f"{'PASS' if ok_queries else 'FAIL'}  updates_for_home runs one query whatever the data size: {sorted(counts)}"
    )
    ratios = ", ".join(f"{run['throughput_ratio']:.0%}" for run in results[0]["runs"])
    print(
        f"{'PASS' if ok_ratio else 'FAIL'}  rep home + strip >= 50% of the floor page's throughput (in-process): {ratios}"
    )
    return 0 if ok_queries and ok_ratio else 1


def print_report(results: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'database':<22}{'reps':>7}{'updates':>9}{'receipts':>10}{'queries':>9}{'sel p50':>9}{'sel p95':>9}"
        f"{'render':>8}{'floor':>8}{'home':>8}{'home+':>8}{'ratio':>7}"
    )
    for r in results:
        for run in r["runs"]:
            print(
                f"{r['database']:<22}{r['reps']:>7,}{run['updates']:>9}{run['receipts']:>10,}"
                f"{','.join(map(str, run['queries'])):>9}{run['selector']['p50_ms']:>9.2f}{run['selector']['p95_ms']:>9.2f}"
                f"{run['render']['p50_ms']:>8.2f}{run['pages']['floor']['p50_ms']:>8.2f}{run['pages']['rep_home']['p50_ms']:>8.2f}"
                f"{run['home_with_strip_p50_ms']:>8.2f}{run['throughput_ratio']:>7.0%}"
            )
    print(
        "(milliseconds, in-process, one client; ratio = floor p50 / (home p50 + strip selector p50 + strip render p50))"
    )
    for r in results[:1]:
        print(f"\nEXPLAIN ANALYZE of the strip's query on {r['database']} with {r['runs'][-1]['updates']} updates:")
        for line in r["runs"][-1]["explain"]:
            print("   ", line.strip())
    print()


if __name__ == "__main__":
    sys.exit(main())
