"""Ingest and query through the xAPI LRS (/xapi/statements) on PostgreSQL, at two store sizes.

    bench/lrs.py [--database-url URL] [--sizes 200000,2000000] [--duration 15] [--concurrency 6] [--workers 3]

In its own database (`kizuna_bench_lrs` in the bench cluster, made and migrated if missing, so the hot-page data
set is left alone) it fills the LRS's store to each size in turn through the same insert path the LRS uses
(`statement_rows_insert`: rows, filter keys, activity definitions), then starts gunicorn on 127.0.0.1 and measures,
with a principal credential over HTTP Basic and keep-alive connections:

- single: statements per second, one statement per POST, `--concurrency` clients;
- batch: statements per second, POSTs of 100 statements;
- get: latency of a filtered GET (`agent` + `verb`, `limit=50`) and of following its `more` link, p50/p95;
- the POST bodies are made before each phase's clock starts (a real sender runs on other machines), so that the
  load generator's JSON encoding takes neither the measured time nor the measured CPU;
- in process (Django's test Client, no HTTP): SQL queries of a single POST and of a POST of 100, and the CPU
  milliseconds each request costs (process time: what the throughput targets come down to on a shared machine).

Targets (issue 15): >= 350 statements/s one per request, >= 8,000/s in batches of 100, filtered GET p95 < 100 ms,
at both sizes. It prints a table and PASS/FAIL lines and writes bench/results/lrs-<timestamp>.json.
Loopback only; gunicorn is started as `manage.py serve` starts it and stopped by its PID. The statements written
by the load stay (the store grows by them; a larger size is reached by filling on top). `--fill-only` migrates
and fills the store to the largest size and stops, so that a later run measures without filling.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from load import Server, default_database_url, django_env, free_port, log  # noqa: E402

DATABASE = "kizuna_bench_lrs"
AGENTS = 5000
ACTIVITIES = 3000
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = [ADL + v for v in ("launched", "progressed", "completed", "passed", "failed", "answered", "experienced")]
TARGET_SINGLE = 350.0
TARGET_BATCH = 8000.0
TARGET_GET_P95_MS = 100.0
# Statements per POST of each posting phase, and per second the bodies are prepared for before it starts (about
# 1.5 times the best rate seen).
STATEMENTS_PER_POST = {"single": 1, "batch": 100}
PREPARED_PER_SECOND = {"single": 1000, "batch": 14000}


def statement(rng: random.Random, when: datetime | None = None) -> dict[str, Any]:
    """A statement as an authoring tool sends them: an agent by mbox, a verb, an activity, a registration."""
    activity = rng.randrange(ACTIVITIES)
    st: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": f"Rep {rng.randrange(AGENTS)}", "mbox": ""},
        "verb": {"id": rng.choice(VERBS), "display": {"en-US": "did"}},
        "object": {
            "objectType": "Activity",
            "id": f"https://tool.example/activities/{activity}",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/lesson",
                "name": {"en-US": f"Lesson {activity}"},
            },
        },
        "context": {
            "registration": str(uuid.uuid4()),
            "platform": "bench",
            "contextActivities": {"parent": [{"id": f"https://tool.example/courses/{activity % 200}"}]},
        },
    }
    st["actor"]["mbox"] = f"mailto:{st['actor']['name'].replace(' ', '').lower()}@agency.example"
    if rng.random() < 0.4:
        st["result"] = {"score": {"scaled": round(rng.random(), 2)}, "success": rng.random() < 0.7}
    if when is not None:
        st["timestamp"] = when.isoformat().replace("+00:00", "Z")
    return st


# --- the database ---------------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            log(f"lrs bench: creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=django_env(url),
        check=True,
    )


def setup(url: str) -> None:
    import os

    os.environ.update(django_env(url))
    import django

    django.setup()


def store_size() -> int:
    from kizuna.lrs.models import LrsStatement

    return LrsStatement.objects.count()


def fill(to: int, rng: random.Random, chunk: int = 2000) -> float:
    """Store statements through the LRS's insert path until the store holds `to`; return the seconds it took."""
    from django.db import transaction
    from django.utils import timezone

    from kizuna.lrs.models import LrsCredential, LrsStatement
    from kizuna.lrs.statements import authority_for, format_time, statement_rows_insert

    have = store_size()
    if have >= to:
        return 0.0
    credential = LrsCredential.objects.filter(name="bench fill").first()
    if credential is None:
        from kizuna.lrs.services import lrs_credential_create

        credential, _secret = lrs_credential_create(name="bench fill")
    authority = authority_for(credential)
    initial = have
    start = time.monotonic()
    base = timezone.now() - timedelta(days=90)
    last_log = start
    while have < to:
        n = min(chunk, to - have)
        now = timezone.now()
        rows = []
        for i in range(n):
            when = base + timedelta(seconds=(have + i) * 3)
            st = statement(rng, when)
            st.update({"authority": authority, "stored": format_time(now), "version": "1.0.0"})
            rows.append(
                LrsStatement(
                    statement_id=uuid.UUID(st["id"]),
                    data=st,
                    credential=credential,
                    verb=st["verb"]["id"],
                    registration=st["context"]["registration"],
                    stored=now,
                )
            )
        with transaction.atomic():
            statement_rows_insert(rows)
        have += n
        if time.monotonic() - last_log > 15:
            last_log = time.monotonic()
            rate = (have - initial) / max(time.monotonic() - start, 1e-9)
            log(f"lrs bench: filled {have:,} of {to:,} ({rate:,.0f}/s)")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lrs_lrsstatement; ANALYZE lrs_lrsstatementkey; ANALYZE lrs_lrsactivity")
    return time.monotonic() - start


def in_process(key: str, secret: str, *, requests: int = 40) -> dict[str, Any]:
    """What one POST costs in this process, through the whole Django stack (test Client, no HTTP or gunicorn):
    SQL queries of a single-statement POST and of a POST of 100, and CPU milliseconds per request (process time,
    so it hardly depends on how busy the shared machine is; this is what the throughput targets come down to)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"Authorization": basic(key, secret), "X-Experience-API-Version": "1.0.3"}
    rng = random.Random(7)

    def post(body: Any) -> None:
        response = client.post("/xapi/statements", body, content_type="application/json", headers=headers)
        assert response.status_code == 200, response.content

    post(statement(rng))  # warm-up
    out: dict[str, Any] = {}
    for kind, size, count in (("single", 1, requests), ("batch", 100, max(3, requests // 8))):

        def body(size: int = size) -> Any:
            return statement(rng) if size == 1 else [statement(rng) for _i in range(size)]

        with CaptureQueriesContext(connection) as captured:
            post(body())
        out[f"queries_{kind}"] = len(captured.captured_queries)
        bodies = [body() for _i in range(count)]
        start = time.process_time()
        for one in bodies:
            post(one)
        out[f"cpu_ms_{kind}"] = round((time.process_time() - start) * 1000 / count, 2)
    return out


# --- the load ---------------------------------------------------------------------------------------------------


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


class Phase:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statements = 0
        self.errors: dict[str, int] = {}

    def ok(self, seconds: float, statements: int) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statements += statements

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def _body(rng: random.Random, count: int) -> str:
    return json.dumps(statement(rng) if count == 1 else [statement(rng) for _i in range(count)])


def prepare_bodies(*, kind: str, duration: float, concurrency: int, seed: int) -> list[tuple[random.Random, list[str]]]:
    """Per client, its random source and the POST bodies it will send, made before the clock starts (as many as
    the fastest rate foreseen would send; more are made on the way if they run out), so that encoding them
    takes neither the measured time nor the cores the server is measured on: a real sender runs elsewhere."""
    rngs = [random.Random(seed * 100 + index) for index in range(concurrency)]
    if kind not in STATEMENTS_PER_POST:
        return [(rng, []) for rng in rngs]
    count = STATEMENTS_PER_POST[kind]
    per_client = int(duration * PREPARED_PER_SECOND[kind] / count / concurrency) + 1
    return [(rng, [_body(rng, count) for _n in range(per_client)]) for rng in rngs]


def run_phase(
    port: int,
    auth: str,
    *,
    kind: str,
    duration: float,
    concurrency: int,
    agents: list[str],
    seed: int,
    prepared: list[tuple[random.Random, list[str]]] | None = None,
) -> dict[str, Any]:
    phase = Phase()
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
    count = STATEMENTS_PER_POST.get(kind, 0)
    ready = prepared or prepare_bodies(kind=kind, duration=duration, concurrency=concurrency, seed=seed)
    deadline = time.monotonic() + duration

    def worker(index: int) -> None:
        rng, bodies = ready[index]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            try:
                if count:
                    payload = bodies.pop() if bodies else _body(rng, count)
                    t0 = time.perf_counter()
                    conn.request("POST", "/xapi/statements", body=payload, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    if response.status == 200:
                        phase.ok(time.perf_counter() - t0, count)
                    else:
                        phase.error(str(response.status))
                else:
                    params = {"agent": rng.choice(agents), "verb": rng.choice(VERBS), "limit": "50"}
                    t0 = time.perf_counter()
                    conn.request("GET", "/xapi/statements?" + urlencode(params), headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    if response.status != 200:
                        phase.error(str(response.status))
                        continue
                    phase.ok(time.perf_counter() - t0, len(json.loads(data)["statements"]))
                    more = json.loads(data)["more"]
                    if more:
                        t0 = time.perf_counter()
                        conn.request("GET", more, headers=headers)
                        response = conn.getresponse()
                        data = response.read()
                        if response.status == 200:
                            phase.ok(time.perf_counter() - t0, len(json.loads(data)["statements"]))
                        else:
                            phase.error(str(response.status))
            except (OSError, http.client.HTTPException) as exc:
                phase.error(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    lat = sorted(phase.latencies)

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else float("nan")

    return {
        "kind": kind,
        "requests": len(lat),
        "statements": phase.statements,
        "seconds": round(elapsed, 2),
        "statements_per_s": round(phase.statements / elapsed, 1),
        "requests_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(pct(0.50), 1),
        "p95_ms": round(pct(0.95), 1),
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
        "errors": phase.errors,
    }


def wait_ready(server: Server, timeout: float = 180) -> None:
    """Until /xapi/about answers (no page, so no static manifest is needed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.proc.returncode}:\n{server.log_tail()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", "/xapi/about")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{server.log_tail()}")


class ServeServer(Server):
    """gunicorn started with the command line `manage.py serve` (so `make run`) gives it: the same settings file
    (kizuna.ops.gunicorn_conf: the app preloaded), sync workers, access log to stdout (here to nowhere)."""

    def command(self, port: int, workers: int, threads: int) -> list[str]:  # noqa: ARG002 (serve's own: sync)
        from kizuna.ops.management.commands.serve import _gunicorn

        return _gunicorn({"host": "127.0.0.1", "port": port, "workers": workers})


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (0 once it is gone)."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pids(server: Server, url: str) -> tuple[list[int], list[int]]:
    """gunicorn's master and workers, and the PostgreSQL backends connected to the bench database."""
    import psycopg

    workers = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True).stdout.split()
    with psycopg.connect(url) as conn:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [server.proc.pid, *map(int, workers)], [row[0] for row in backends]


def measured_phase(server: Server, url: str, **kwargs: Any) -> dict[str, Any]:
    """run_phase, with the CPU it cost per request and per statement: gunicorn's processes, the PostgreSQL
    backends (read from /proc: the cluster must run on this machine) and this load generator. On a shared
    machine this says more than the rate: the targets come down to CPU per statement on two cores."""
    import os

    kwargs["prepared"] = prepare_bodies(
        kind=kwargs["kind"], duration=kwargs["duration"], concurrency=kwargs["concurrency"], seed=kwargs["seed"]
    )
    gunicorn, backends = _server_pids(server, url)
    before = [sum(map(_cpu_seconds, gunicorn)), sum(map(_cpu_seconds, backends)), time.process_time()]
    load = os.getloadavg()[0]
    result = run_phase(**kwargs)
    after = [sum(map(_cpu_seconds, gunicorn)), sum(map(_cpu_seconds, backends)), time.process_time()]
    spent = [b - a for a, b in zip(before, after, strict=True)]
    requests, statements = max(result["requests"], 1), max(result["statements"], 1)
    result["cpu_ms_per_request"] = {
        name: round(value * 1000 / requests, 2)
        for name, value in zip(("gunicorn", "postgresql", "load_generator"), spent, strict=True)
    }
    result["cpu_ms_per_statement"] = round(sum(spent) * 1000 / statements, 3)
    result["load_average_at_start"] = round(load, 1)
    return result


def measure(args: argparse.Namespace, url: str, key: str, secret: str, size: int) -> dict[str, Any]:
    port = free_port(8740)
    server = ServeServer(
        database_url=url,
        port=port,
        workers=args.workers,
        log_path=ROOT / "var" / "bench" / "gunicorn-lrs.log",
    )
    try:
        log(f"lrs bench: gunicorn pid {server.proc.pid} on 127.0.0.1:{port} ({args.workers} sync workers, as serve)")
        wait_ready(server)
        auth = basic(key, secret)
        agents = [
            json.dumps({"mbox": f"mailto:rep{i}@agency.example"}) for i in random.Random(3).sample(range(AGENTS), 200)
        ]
        # Warm the workers (connections, imports) before measuring.
        run_phase(port, auth, kind="single", duration=2, concurrency=args.concurrency, agents=agents, seed=0)
        results = {"size": size}
        for kind in ("single", "batch", "get"):
            concurrency = args.concurrency if kind != "get" else max(1, args.concurrency // 2)
            log(f"lrs bench: {kind} for {args.duration:.0f} s with {concurrency} clients at {size:,} statements")
            results[kind] = measured_phase(
                server,
                url,
                port=port,
                auth=auth,
                kind=kind,
                duration=args.duration,
                concurrency=concurrency,
                agents=agents,
                seed=size,
            )
        return results
    finally:
        server.stop()
        log(f"lrs bench: gunicorn stopped (exit {server.proc.returncode})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help=f"default: the bench cluster's {DATABASE} database")
    parser.add_argument("--sizes", default="200000,2000000", help="store sizes to measure at (default 200000,2000000)")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per measurement (default 15)")
    parser.add_argument("--concurrency", type=int, default=6, help="clients posting at once (default 6)")
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn sync workers (default 3, as `manage.py serve`)"
    )
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--fill-only", action="store_true", help="migrate and fill the store to the largest size, then stop"
    )
    args = parser.parse_args()
    if args.database_url:
        url = args.database_url
    else:
        parts = urlsplit(default_database_url())
        url = urlunsplit(parts._replace(path=f"/{DATABASE}"))
    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("lrs bench: the database must be on loopback")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    ensure_database(url)
    setup(url)
    if args.fill_only:
        seconds = fill(max(sizes), random.Random(args.seed))
        log(f"lrs bench: store holds {store_size():,} statements (filled in {seconds:.0f} s)")
        return 0
    from kizuna.lrs.models import LrsCredential
    from kizuna.lrs.services import lrs_credential_create

    LrsCredential.objects.filter(name="bench load").update(active=False)
    credential, secret = lrs_credential_create(name="bench load")
    rng = random.Random(args.seed)
    report: dict[str, Any] = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "workers": args.workers,
        "concurrency": args.concurrency,
        "duration": args.duration,
        "runs": [],
    }
    for size in sizes:
        seconds = fill(size, rng)
        have = store_size()
        log(f"lrs bench: store holds {have:,} statements (filled in {seconds:.0f} s)")
        from django.db import connection

        connection.close()  # the server gets the connections; we reconnect for the query count
        run = measure(args, url, credential.key, secret, have)
        run["in_process"] = in_process(credential.key, secret)
        run["queries_per_single_post"] = run["in_process"]["queries_single"]
        report["runs"].append(run)
    print_report(report)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    path = out / f"lrs-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2))
    log(f"lrs bench: wrote {path.relative_to(ROOT)}")
    return 0 if all(verdicts(run) for run in report["runs"]) else 1


def verdicts(run: dict[str, Any]) -> bool:
    return (
        run["single"]["statements_per_s"] >= TARGET_SINGLE
        and run["batch"]["statements_per_s"] >= TARGET_BATCH
        and run["get"]["p95_ms"] < TARGET_GET_P95_MS
    )


def print_report(report: dict[str, Any]) -> None:
    print(
        f"\nxAPI LRS on PostgreSQL: gunicorn -w {report['workers']}, {report['concurrency']} clients, "
        f"{report['duration']:.0f} s per measurement"
    )
    print(
        f"{'store':>11} | {'single st/s':>11} | {'p95 ms':>7} | {'batch st/s':>10} | {'p95 ms':>7} | "
        f"{'GET p50':>7} | {'GET p95':>7} | {'queries/POST':>12}"
    )
    for run in report["runs"]:
        s, b, g = run["single"], run["batch"], run["get"]
        print(
            f"{run['size']:>11,} | {s['statements_per_s']:>11,.0f} | {s['p95_ms']:>7.1f} | "
            f"{b['statements_per_s']:>10,.0f} | {b['p95_ms']:>7.1f} | {g['p50_ms']:>7.1f} | {g['p95_ms']:>7.1f} | "
            f"{run['queries_per_single_post']:>12}"
        )
        errors = {f"{kind}:{what}": n for kind in ("single", "batch", "get") for what, n in run[kind]["errors"].items()}
        if errors:
            print(f"{'':>11}   errors: {errors}")
        for kind in ("single", "batch", "get"):
            cpu = run[kind]["cpu_ms_per_request"]
            print(
                f"{'':>11}   {kind} CPU per request: gunicorn {cpu['gunicorn']} ms, PostgreSQL {cpu['postgresql']} ms, "
                f"load generator {cpu['load_generator']} ms; per statement {run[kind]['cpu_ms_per_statement']} ms "
                f"(load average {run[kind]['load_average_at_start']})"
            )
        cost = run["in_process"]
        print(
            f"{'':>11}   in process: single POST {cost['queries_single']} queries, {cost['cpu_ms_single']} ms CPU; "
            f"POST of 100 {cost['queries_batch']} queries, {cost['cpu_ms_batch']} ms CPU"
        )
    for run in report["runs"]:
        size = f"{run['size']:,}"
        for label, ok, got, target in (
            (
                "single POST",
                run["single"]["statements_per_s"] >= TARGET_SINGLE,
                run["single"]["statements_per_s"],
                f">= {TARGET_SINGLE:.0f}/s",
            ),
            (
                "batch of 100",
                run["batch"]["statements_per_s"] >= TARGET_BATCH,
                run["batch"]["statements_per_s"],
                f">= {TARGET_BATCH:.0f}/s",
            ),
            (
                "filtered GET p95",
                run["get"]["p95_ms"] < TARGET_GET_P95_MS,
                run["get"]["p95_ms"],
                f"< {TARGET_GET_P95_MS:.0f} ms",
            ),
        ):
            print(f"{'PASS' if ok else 'FAIL'} {label} at {size}: {got:,} (target {target})")


if __name__ == "__main__":
    sys.exit(main())
