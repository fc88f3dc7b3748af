"""Statements at scale: per-request costs and the rebuild on a bench database, partitioned or plain.

    .venv/bin/python bench/statements_scale.py --database-url postgres://…/kizuna_part_bench2m [--rebuild]

In-process (Django's test client, no network), on a database made by bench/generate.py:
- ingest: `statement_record` of a lesson report by 20 reps, one transaction each (the player's write path);
- the rep home `/` (20 reps of bench-p01), the partner dashboard (bench-p01's manager) and the KPI board
  (the principal's admin, every agency), median and p95 of `--rounds` loads after one warm-up;
- the statement queries a request makes (a retry's lookup by id, the projector's `seq IN`, the mirror's
  `seq > ? LIMIT`, a rep's statements of a month): median time and how many partitions each plan touches;
- each page's SQL query count, and every statement-table query the pages and the ingest make (captured from one
  warm request) with the partitions its plan touches (`statement_queries`: a query touching every partition is
  one that does not prune);
- `--rebuild-partner`: `rebuild_all` for `--partner`'s reps; `--rebuild-month YYYY-MM` (repeatable): `rebuild_month`;
  `--rebuild`: one partner's and then a full `rebuild_all` (records' projections, partition by partition); each
  with its time, its rows and the load average around it, and the process's peak memory.
Prints one JSON object, with the load average before and after.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1),
        "n": len(ordered),
    }


def _timed(fn: Any, rounds: int) -> dict[str, float]:
    fn()
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return _stats(samples)


def _partitions_touched(sql: str, params: list[Any] | None) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = json.dumps(cur.fetchone()[0])
    return len({name for name in __import__("re").findall(r'"Relation Name": "(records_statement[a-z0-9_]*)"', plan)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--partner", default="bench-p01")
    parser.add_argument("--rebuild-partner", action="store_true", help="time rebuild_all for --partner's reps")
    parser.add_argument(
        "--rebuild-month", action="append", default=[], metavar="YYYY-MM", help="time rebuild_month (repeatable)"
    )
    parser.add_argument("--skip-pages", action="store_true", help="only the rebuilds asked for")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["PROJECTIONS_EAGER"] = "false"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kizuna.accounts.models import User
    from kizuna.orgs.selectors import partner_by_code
    from kizuna.records import partitions, vocab
    from kizuna.records.models import Statement
    from kizuna.records.partitions import parse_month
    from kizuna.records.projections import rebuild_all, rebuild_month
    from kizuna.records.services import Activity, statement_record

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    # Pages render without collectstatic's manifest (the bench's gunicorn run has one; this in-process one not).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    out: dict[str, Any] = {"load_before": [round(x, 2) for x in os.getloadavg()]}
    out["partitioned"] = partitions.is_partitioned()
    out["statements"] = Statement.objects.count()
    out["partitions"] = len(partitions.partitions_list())
    partner = partner_by_code(code=args.partner)
    assert partner is not None, f"no partner {args.partner}"
    reps = list(User.objects.filter(membership__organization=partner, membership__role="rep").order_by("pk")[:20])
    manager = User.objects.filter(membership__organization=partner, membership__role="manager").first()
    admin = User.objects.filter(email="admin@principal.bench.example").first()
    touched: dict[str, dict[str, Any]] = {}

    def note_statement_queries(where: str, captured: Any) -> None:
        # Every query on the statements table (or its id keys) a request made, with the partitions its plan touches.
        for q in captured.captured_queries:
            sql = q["sql"]
            if "records_statement" not in sql:
                continue
            key = sql[:160]
            if key not in touched:
                # A write's plan does not name the partitions it lands in: only reads are explained.
                reads = sql.lstrip().upper().startswith("SELECT")
                touched[key] = {"where": where, "partitions": _partitions_touched(sql, None) if reads else None}

    def measure() -> None:
        # Ingest: the write path of one report, one transaction each.
        kind = vocab.Term("activity-types/bench-article", "記事", "article", own=True)
        samples = []
        for i in range(args.rounds * 5):
            rep = reps[i % len(reps)]
            t0 = time.perf_counter()
            with transaction.atomic():
                statement_record(
                    actor=rep,
                    verb=vocab.EXPERIENCED,
                    activity=Activity(iri=f"urn:bench:scale:{i % 7}", type=kind, name={}),
                    statement_id=uuid.uuid4(),
                    result={"duration": "PT20S"},
                )
            samples.append(time.perf_counter() - t0)
        out["ingest"] = _stats(samples)

        def page(user: Any, path: str) -> Any:
            client = Client()
            client.force_login(user)

            def load() -> None:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            return load

        rep_loads = [page(rep, "/") for rep in reps]
        turn = iter(range(10**9))
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            statement_record(
                actor=reps[0],
                verb=vocab.EXPERIENCED,
                activity=Activity(iri="urn:bench:scale:0", type=kind, name={}),
                statement_id=uuid.uuid4(),
                result={"duration": "PT20S"},
            )
        out["ingest"]["queries"] = len(captured.captured_queries)
        note_statement_queries("ingest", captured)
        for key, user, path in (
            ("rep_home", reps[0], "/"),
            ("partner_dashboard", manager, "/partner/dashboard/"),
            ("kpi_board", admin, "/kpis/"),
        ):
            load = page(user, path)
            load()
            with CaptureQueriesContext(connection) as captured:
                load()
            out[key + "_queries"] = len(captured.captured_queries)
            note_statement_queries(key, captured)

        out["rep_home"] = _timed(lambda: rep_loads[next(turn) % len(rep_loads)](), args.rounds)
        out["partner_dashboard"] = _timed(page(manager, "/partner/dashboard/"), args.rounds)
        out["kpi_board"] = _timed(page(admin, "/kpis/"), args.rounds)

        # The statement queries made per request, and how many partitions their plans touch.
        st = Statement.objects.order_by("-seq").first()
        assert st is not None
        recent = list(Statement.objects.order_by("-seq").values_list("seq", flat=True)[:50])
        queries: dict[str, tuple[str, list[Any]]] = {
            "by_id": ("SELECT seq FROM records_statement WHERE id = %s", [st.id]),
            "projector_seq_in": ("SELECT * FROM records_statement WHERE seq = ANY(%s) ORDER BY seq", [recent]),
            "mirror_after": ("SELECT * FROM records_statement WHERE seq > %s ORDER BY seq LIMIT 500", [recent[-1]]),
            "rep_month": (
                "SELECT count(*) FROM records_statement WHERE actor_id = %s AND timestamp >= now() - interval '30 days'",
                [reps[0].pk],
            ),
        }
        for key, (sql, params) in queries.items():

            def run(sql: str = sql, params: list[Any] = params) -> None:
                with connection.cursor() as cur:
                    cur.execute(sql, params)
                    cur.fetchall()

            out["query_" + key] = {**_timed(run, args.rounds), "partitions": _partitions_touched(sql, params)}

    if not args.skip_pages:
        measure()

        out["statement_queries"] = list({"sql": sql, **info, "of": out["partitions"]} for sql, info in touched.items())

    def rebuild(key: str, fn: Any) -> None:
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        counts = fn()
        out[key] = {
            "seconds": round(time.perf_counter() - t0, 1),
            **counts,
            "load": [round(load, 2), round(os.getloadavg()[0], 2)],
        }
        print(key, json.dumps(out[key]), file=sys.stderr, flush=True)

    for month in args.rebuild_month:
        rebuild("rebuild_month_" + month, lambda month=month: rebuild_month(month=parse_month(month)))
    if args.rebuild_partner or args.rebuild:
        rebuild("rebuild_partner", lambda: rebuild_all(partner_id=partner.pk))
    if args.rebuild:
        rebuild("rebuild_full", rebuild_all)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
