"""Measure Kizuna's hot pages against the bench database: throughput, latency and SQL query counts.

Starts gunicorn on 127.0.0.1 as a child process, signs in by creating sessions in the database,
loads each page for a bounded time with a pool of keep-alive HTTP clients, counts each page's SQL
queries in-process (and on the small data set with --compare-small), then prints a table and
PASS/FAIL per target and writes bench/results/<timestamp>.json and bench/results/latest.json.
gunicorn is stopped by its PID at the end, also on errors and Ctrl-C. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_PARTNER_SLUG = "bench-p01"
BENCH_SECRET_KEY = "kizuna-bench-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
TOKEN_NAME = "bench load"
RESULTS = ROOT / "bench" / "results"


@dataclass
class Endpoint:
    key: str
    label: str
    who: str  # rep, manager or token
    note: str = ""


ENDPOINTS = [
    Endpoint(
        "floor",
        "floor: profile /me/",
        "rep",
        "the lightest authenticated page (renders a template, nothing else); the app has no dedicated floor view",
    ),
    Endpoint("rep_home", "rep home /", "rep"),
    Endpoint("lesson", "lesson /learn/lessons/<id>/", "rep"),
    Endpoint("course", "course /learn/courses/<id>/", "rep", "each rep opens their own assigned courses in turn"),
    Endpoint("review", "review /review/", "rep"),
    Endpoint("rankings", "rankings /rankings/", "rep", "the rep's default board (their team, this week)"),
    Endpoint("community", "community /community/", "rep", "the question list, newest activity first"),
    Endpoint("dashboard", "partner dashboard", "manager", "/partner/dashboard/ of partner bench-p01 (500 reps)"),
    Endpoint("api_progress", "API /reports/progress", "token", "token auth as bench-p01's manager"),
]
PATHS = {
    "floor": "/me/",
    "rep_home": "/",
    "review": "/review/",
    "rankings": "/rankings/",
    "community": "/community/",
    "dashboard": "/partner/dashboard/",
}
# The pages a rep opens most: each must serve REP_PAGE_RATIO of the floor's throughput, with p95 <= REP_PAGE_P95_MS,
# at the highest number of connections measured.
REP_PAGES = ("rep_home", "lesson", "course", "review", "rankings", "community")
REP_PAGE_RATIO = 0.85
REP_PAGE_P95_MS = 50.0
REP_HOME_MAX_QUERIES = 4


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_database_url(which: str = "") -> str:
    args = [str(ROOT / "bench" / "pg.sh"), "url"] + ([which] if which else [])
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


def django_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "kizuna.settings",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", BENCH_SECRET_KEY),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def setup_django(database_url: str) -> None:
    os.environ.update(django_env(database_url))
    import django

    django.setup()
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        sys.exit(
            f"Cannot reach the bench database ({exc}). Start it with `make bench-pg`, fill it with `make bench-data`."
        )


# --- Who signs in, and what they open ---------------------------------------------------------


@dataclass
class Cast:
    partner: Any
    reps: list[Any]
    manager: Any
    partner_reps: int
    lessons: dict[int, list[int]]  # rep id -> lesson ids the rep may open
    courses: dict[int, list[int]]  # rep id -> course ids the rep may open
    count_lesson: int | None  # the lesson whose queries are counted: chosen by course code, stable across data sets
    count_course: int | None
    count_lesson_label: str = ""


def find_cast(n_reps: int) -> Cast:
    from kizuna.catalog.models import PublishedLesson
    from kizuna.catalog.selectors import courses_visible_to
    from kizuna.orgs.models import Membership, Organization

    partner = Organization.objects.filter(slug=TARGET_PARTNER_SLUG).first()
    if partner is None:
        sys.exit(f"No partner '{TARGET_PARTNER_SLUG}' in this database: run `make bench-data` first.")
    members = Membership.objects.filter(organization=partner).select_related("user").order_by("user_id")
    reps = [m.user for m in members if m.role == Membership.Role.REP and m.user.is_active][:n_reps]
    manager = next((m.user for m in members if m.role == Membership.Role.MANAGER), None)
    if not reps or manager is None:
        sys.exit(f"Partner '{TARGET_PARTNER_SLUG}' has no reps or no manager: regenerate with `make bench-data`.")
    lessons: dict[int, list[int]] = {}
    course_ids: dict[int, list[int]] = {}
    count_lesson, count_course, label = None, None, ""
    for i, rep in enumerate(reps):
        course_ids[rep.pk] = list(courses_visible_to(rep).order_by("slug").values_list("pk", flat=True))
        if i == 0 and course_ids[rep.pk]:
            count_course = course_ids[rep.pk][0]
        courses = list(courses_visible_to(rep).order_by("slug").values_list("latest_version_id", "slug"))
        ids = list(
            PublishedLesson.objects.filter(version_id__in=[v for v, _ in courses])
            .order_by("version_id", "position")
            .values_list("id", flat=True)
        )
        lessons[rep.pk] = ids
        if i == 0 and courses:
            first = PublishedLesson.objects.filter(version_id=courses[0][0]).order_by("position").first()
            if first is not None:
                count_lesson, label = first.pk, f"{courses[0][1]} lesson {first.position}"
    return Cast(
        partner=partner,
        reps=reps,
        manager=manager,
        partner_reps=sum(1 for m in members if m.role == Membership.Role.REP),
        lessons=lessons,
        courses=course_ids,
        count_lesson=count_lesson,
        count_course=count_course,
        count_lesson_label=label,
    )


def make_token(user: Any) -> str:
    """An integration token for the user: through the api_token command, or a row made here if it is missing."""
    import io

    from django.core.management import call_command

    from kizuna.api.models import ApiToken

    ApiToken.objects.filter(user=user, name=TOKEN_NAME).delete()
    try:
        out = io.StringIO()
        call_command("api_token", user.email, "--name", TOKEN_NAME, stdout=out)
        raw = out.getvalue().strip().splitlines()[-1].strip()
        if raw:
            return raw
    except Exception as exc:  # the command may not exist yet: fall back to a row made by hand
        log(f"api_token command unavailable ({exc.__class__.__name__}: {exc}); creating the token row directly")
    from kizuna.api.models import hash_token, new_raw_token

    raw = new_raw_token()
    ApiToken.objects.create(user=user, name=TOKEN_NAME, prefix=raw[:12], key_hash=hash_token(raw))
    return raw


def make_session(user: Any) -> str:
    """A signed-in session stored in the database, as django.contrib.auth.login would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


# --- Query counts (in-process, run as a child per database) -------------------------------------


def count_queries(database_url: str, api_query: str) -> dict[str, Any]:
    """Open each page twice with the test client, then count the SQL queries of a third request."""
    setup_django(database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    cast = find_cast(1)
    rep = cast.reps[0]
    token = make_token(cast.manager)
    results: dict[str, Any] = {"lesson": cast.count_lesson_label}
    session_keys = []
    for ep in ENDPOINTS:
        client = Client(headers={"Accept-Language": "ja"}, raise_request_exception=False)
        headers = {}
        if ep.who == "rep":
            client.force_login(rep)
        elif ep.who == "manager":
            client.force_login(cast.manager)
        else:
            headers = {"Authorization": f"Bearer {token}"}
        path = endpoint_path(ep, cast.count_lesson, api_query, course_id=cast.count_course)
        if path is None:
            results[ep.key] = {"status": None, "queries": None, "path": None}
            continue
        for _ in range(2):
            client.get(path, headers=headers)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, headers=headers)
        results[ep.key] = {"status": response.status_code, "queries": len(ctx.captured_queries), "path": path}
        if client.session.session_key:
            session_keys.append(client.session.session_key)
    from django.contrib.sessions.models import Session

    from kizuna.api.models import ApiToken

    Session.objects.filter(session_key__in=session_keys).delete()
    ApiToken.objects.filter(user=cast.manager, name=TOKEN_NAME).delete()
    return results


def endpoint_path(
    ep: Endpoint, lesson_id: int | None, api_query: str = "limit=100", *, course_id: int | None = None
) -> str | None:
    if ep.key == "lesson":
        return f"/learn/lessons/{lesson_id}/" if lesson_id else None
    if ep.key == "course":
        return f"/learn/courses/{course_id}/" if course_id else None
    if ep.key == "api_progress":
        return "/api/v1/reports/progress" + (f"?{api_query}" if api_query else "")
    return PATHS[ep.key]


def query_counts_in_child(database_url: str, api_query: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--count-queries", "--database-url", database_url, "--api-query", api_query],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        raise RuntimeError(f"query counting failed on {database_url.split('@')[-1]}:\n{tail}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- The server ---------------------------------------------------------------------------------


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return s.getsockname()[1]
            except OSError:
                continue
    raise RuntimeError("no free port on 127.0.0.1")


class Server:
    """gunicorn as a child process, stopped by its PID."""

    def __init__(self, *, database_url: str, port: int, workers: int, threads: int = 1, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [*self.command(port, workers, threads), "--log-level", "warning", "--error-logfile", str(log_path)]
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=django_env(database_url),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def command(self, port: int, workers: int, threads: int) -> list[str]:
        """gunicorn's command line, but for its logging."""
        gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
        bind = f"127.0.0.1:{port}"
        return [gunicorn, "kizuna.wsgi", "-b", bind, "-w", str(workers), "--threads", str(threads), "--timeout", "120"]

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                status = conn.getresponse().status
                conn.close()
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-15:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)  # gunicorn's master stops its workers on TERM
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


# --- Load -----------------------------------------------------------------------------------------


@dataclass
class Request:
    path: str
    headers: dict[str, str]


@dataclass
class Measured:
    state: str = "ok"  # ok, missing (404), error (…), not signed in (302)
    requests: int = 0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rps: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    mean_ms: float | None = None
    max_ms: float | None = None
    bytes: int = 0
    samples: list[tuple[float, int, int]] = field(default_factory=list, repr=False)

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "samples"}


def fetch(conn: http.client.HTTPConnection, req: Request) -> tuple[int, bytes]:
    conn.request("GET", req.path, headers=req.headers)
    response = conn.getresponse()
    return response.status, response.read()


def probe(port: int, req: Request) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", req.path, headers=req.headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        conn.close()


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def summarize(samples: list[tuple[float, int, int]], elapsed: float) -> Measured:
    result = Measured(requests=len(samples), seconds=round(elapsed, 2))
    for _latency, status, _size in samples:
        result.statuses[str(status)] = result.statuses.get(str(status), 0) + 1
    result.errors = sum(1 for _l, status, _s in samples if status != 200)
    latencies = sorted(latency * 1000 for latency, _s, _b in samples)
    if latencies:
        result.rps = round(len(samples) / max(elapsed, 1e-6), 1)
        result.p50_ms = round(percentile(latencies, 0.50), 1)
        result.p95_ms = round(percentile(latencies, 0.95), 1)
        result.p99_ms = round(percentile(latencies, 0.99), 1)
        result.mean_ms = round(statistics.fmean(latencies), 1)
        result.max_ms = round(latencies[-1], 1)
        result.bytes = round(statistics.fmean(size for _l, _s, size in samples))
    result.samples = samples
    return result


def combine(parts: list[Measured]) -> Measured:
    return summarize([s for part in parts for s in part.samples], sum(part.seconds for part in parts))


def run_load(
    port: int, requests: list[Request], *, concurrency: int, duration: float, max_requests: int, warmup: float
) -> Measured:
    """Send the requests round-robin from `concurrency` threads for `warmup` + `duration` seconds (or max_requests)."""
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + duration
    lock = threading.Lock()
    sent = 0
    samples: list[tuple[float, int, int]] = []

    def worker(index: int) -> None:
        nonlocal sent
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        local: list[tuple[float, int, int]] = []
        i = index
        while time.perf_counter() < stop_at:
            with lock:
                if sent >= max_requests:
                    break
            req = requests[i % len(requests)]
            i += concurrency
            t0 = time.perf_counter()
            try:
                status, body = fetch(conn, req)
            except (OSError, http.client.HTTPException):
                conn.close()  # reconnect on the next request
                status, body = -1, b""
            t1 = time.perf_counter()
            if t0 >= measure_from:
                local.append((t1 - t0, status, len(body)))
                with lock:
                    sent += 1
        conn.close()
        with lock:
            samples.extend(local)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summarize(samples, min(time.perf_counter(), stop_at) - measure_from)


def requests_for(ep: Endpoint, cast: Cast, cookies: dict[int, str], token: str, api_query: str) -> list[Request]:
    base = {"Accept-Language": "ja", "User-Agent": "kizuna-bench/1 (iPhone)"}

    def as_user(user_id: int) -> dict[str, str]:
        return {**base, "Cookie": f"sessionid={cookies[user_id]}"}

    if ep.key == "lesson":
        # Each rep opens the lessons of their own courses, interleaved so consecutive requests differ.
        per_rep = [
            [Request(f"/learn/lessons/{lid}/", as_user(rep.pk)) for lid in cast.lessons[rep.pk]] for rep in cast.reps
        ]
        longest = max((len(items) for items in per_rep), default=0)
        return [items[i] for i in range(longest) for items in per_rep if i < len(items)]
    if ep.key == "course":
        per_rep = [
            [Request(f"/learn/courses/{cid}/", as_user(rep.pk)) for cid in cast.courses[rep.pk]] for rep in cast.reps
        ]
        longest = max((len(items) for items in per_rep), default=0)
        return [items[i] for i in range(longest) for items in per_rep if i < len(items)]
    if ep.who == "rep":
        return [Request(PATHS[ep.key], as_user(rep.pk)) for rep in cast.reps]
    if ep.who == "manager":
        return [Request(PATHS[ep.key], as_user(cast.manager.pk))]
    return [Request(endpoint_path(ep, None, api_query) or "", {**base, "Authorization": f"Bearer {token}"})]


def dataset_stats() -> dict[str, Any]:
    from django.db import connection

    stats = {}
    with connection.cursor() as cur:
        for key, sql in (
            ("partners", "SELECT count(*) FROM orgs_organization WHERE kind = 'partner'"),
            ("reps", "SELECT count(*) FROM orgs_membership WHERE role = 'rep'"),
            ("published_courses", "SELECT count(*) FROM catalog_course WHERE latest_version_id IS NOT NULL"),
            ("assignments", "SELECT count(*) FROM catalog_assignment"),
            ("statements", "SELECT count(*) FROM records_statement"),
            ("lesson_progress", "SELECT count(*) FROM records_lessonprogress"),
            ("course_progress", "SELECT count(*) FROM records_courseprogress"),
            ("database_size", "SELECT pg_size_pretty(pg_database_size(current_database()))"),
            ("postgres", "SHOW server_version"),
        ):
            cur.execute(sql)
            stats[key] = cur.fetchone()[0]
    return stats


def git_info() -> dict[str, Any]:
    def run(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": run("rev-parse", "HEAD"), "dirty": bool(run("status", "--porcelain"))}


# --- Targets, table, files ---------------------------------------------------------------------


def evaluate(
    measured: dict[str, dict[int, Measured]],
    counts: dict[str, Any],
    small: dict[str, Any] | None,
    small_error: str | None,
    partner_reps: int,
    connections: list[int],
) -> list[dict[str, str]]:
    targets = []
    top = max(connections)

    def usable(key: str, c: int) -> str | None:
        m = measured.get(key, {}).get(c)
        if m is None:
            return "not measured"
        if m.state != "ok":
            return m.state
        if not m.rps:
            return "no successful requests"
        if m.errors:
            return f"{m.errors} of {m.requests} requests failed"
        return None

    floor_problem = usable("floor", top)
    for key in REP_PAGES:
        name = next(ep.label for ep in ENDPOINTS if ep.key == key)
        target = f"{name}: >= {REP_PAGE_RATIO:.0%} of the floor's req/s and p95 <= {REP_PAGE_P95_MS:.0f} ms at {top} connections"
        problem = usable(key, top) or (f"floor page {floor_problem}" if floor_problem else None)
        if problem:
            targets.append({"target": target, "result": "FAIL", "detail": problem})
            continue
        m, floor = measured[key][top], measured["floor"][top]
        ratio = m.rps / floor.rps
        ok = ratio >= REP_PAGE_RATIO and m.p95_ms <= REP_PAGE_P95_MS
        targets.append(
            {
                "target": target,
                "result": "PASS" if ok else "FAIL",
                "detail": f"{m.rps:.1f} vs {floor.rps:.1f} req/s = {ratio:.0%}, p95 {m.p95_ms:.1f} ms",
            }
        )
    home_queries = counts.get("rep_home", {}).get("queries")
    targets.append(
        {
            "target": f"rep home <= {REP_HOME_MAX_QUERIES} queries once warm",
            "result": "PASS" if home_queries is not None and home_queries <= REP_HOME_MAX_QUERIES else "FAIL",
            "detail": f"{home_queries} queries",
        }
    )
    target = f"partner dashboard p95 < 300 ms ({partner_reps}-rep partner, {top} connections)"
    problem = usable("dashboard", top)
    if problem:
        targets.append({"target": target, "result": "FAIL", "detail": problem})
    else:
        p95 = measured["dashboard"][top].p95_ms
        targets.append({"target": target, "result": "PASS" if p95 < 300 else "FAIL", "detail": f"p95 {p95:.0f} ms"})

    target = "no hot page's query count grows with data size"
    if small is None:
        targets.append(
            {
                "target": target,
                "result": "SKIP",
                "detail": small_error or "no small data set to compare with (--compare-small URL)",
            }
        )
    else:
        grown, compared, missing = [], [], []
        for ep in ENDPOINTS:
            big_c, small_c = counts.get(ep.key, {}), small.get(ep.key, {})
            if big_c.get("status") != 200 or small_c.get("status") != 200:
                missing.append(ep.key)
                continue
            compared.append(ep.key)
            if big_c["queries"] > small_c["queries"]:
                grown.append(f"{ep.key} {small_c['queries']} -> {big_c['queries']}")
        if grown:
            targets.append({"target": target, "result": "FAIL", "detail": "; ".join(grown)})
        elif not compared:
            targets.append({"target": target, "result": "FAIL", "detail": "no page answered 200 on both data sets"})
        else:
            detail = f"same or fewer on {len(compared)} pages"
            if missing:
                detail += f"; not compared (no 200): {', '.join(missing)}"
            targets.append({"target": target, "result": "PASS" if not missing else "FAIL", "detail": detail})
    return targets


def fmt(value: Any, spec: str = "") -> str:
    if value is None:
        return "-"
    return format(value, spec)


def print_report(report: dict[str, Any]) -> None:
    ds = report["dataset"]
    cfg = report["config"]
    connections = cfg["connections"]
    print()
    print(
        f"Kizuna benchmark {report['started_at']}  ({ds['reps']:,} reps in {ds['partners']} partners, "
        f"{ds['statements']:,} statements, {ds['database_size']}, PostgreSQL {ds['postgres']})"
    )
    print(
        f"gunicorn -w {cfg['workers']} --threads {cfg['threads']} on 127.0.0.1; "
        f"{' and '.join(str(c) for c in connections)} concurrent clients; "
        f"{cfg['duration']:g} s per page and client count in {cfg['rounds']} interleaved round(s) "
        f"after {cfg['warmup']:g} s warm-up"
    )
    machine = report["machine"]
    busy = max(machine["load_average_before"][0], machine["load_average_after"][0])
    print(
        f"{machine['cpus']} CPUs, load average {machine['load_average_before'][0]:.1f} before and "
        f"{machine['load_average_after'][0]:.1f} after"
        + (
            "  -- WARNING: the machine was busy with other work; compare ratios, not absolute numbers"
            if busy > machine["cpus"]
            else ""
        )
    )
    print()
    head = f"{'page':<30} {'state':<8}"
    for c in connections:
        head += f" {'req/s@' + str(c):>9} {'p95@' + str(c):>7} {'floor@' + str(c):>8}"
    head += f" {'queries':>7} {'small':>6}"
    print(head)
    print("-" * len(head))
    for row in report["endpoints"]:
        line = f"{row['label']:<30} {row['state'][:8]:<8}"
        for c in connections:
            m = row["load"].get(str(c), {})
            ratio = row["ratio_to_floor"].get(str(c))
            line += (
                f" {fmt(m.get('rps'), '.1f'):>9} {fmt(m.get('p95_ms'), '.1f'):>7}"
                f" {(f'{ratio:.0%}' if ratio is not None else '-'):>8}"
            )
        line += f" {fmt(row['queries']):>7} {fmt(row['queries_small']):>6}"
        print(line)
    print(
        "(p95 in ms; floor@N = the page's req/s as a share of the floor page's at N clients; queries = SQL queries "
        "of one warm request at this size, small = on the small data set)"
    )
    print(
        "floor = the profile page /me/: the lightest authenticated page, used because the benchmark never "
        "adds views to the app"
    )
    print()
    for t in report["targets"]:
        print(f"{t['result']:<4}  {t['target']}: {t['detail']}")
    print()


def platform_cpus() -> int:
    return os.cpu_count() or 0


# --- Main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="the bench database (default: bench/pg.sh url)")
    parser.add_argument(
        "--compare-small",
        nargs="?",
        const="auto",
        metavar="URL",
        help="also count queries on this small data set (no URL: bench/pg.sh url small)",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per page (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each page (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="pages take turns this many times (default 2)")
    parser.add_argument("--max-requests", type=int, default=5000, help="stop a page after this many requests")
    parser.add_argument(
        "--connections", default="1,8", help="concurrent clients, each count measured in turn (default 1,8)"
    )
    parser.add_argument("--concurrency", type=int, help="one count of concurrent clients (same as --connections N)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reps", type=int, default=20, help="how many reps of the partner sign in (default 20)")
    parser.add_argument("--api-query", default="limit=100", help="query string of the progress API call")
    parser.add_argument("--only", help="comma-separated pages to load: " + ",".join(e.key for e in ENDPOINTS))
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target FAILs")
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    database_url = args.database_url or os.environ.get("BENCH_DATABASE_URL") or default_database_url()
    connections = sorted({args.concurrency} if args.concurrency else {int(c) for c in args.connections.split(",")})
    if args.count_queries:
        print(json.dumps(count_queries(database_url, args.api_query)))
        return 0

    started = datetime.now().astimezone()
    load_before = list(os.getloadavg())
    setup_django(database_url)
    cast = find_cast(args.reps)
    log(
        f"bench: {TARGET_PARTNER_SLUG} ({cast.partner_reps} reps), {len(cast.reps)} of them signed in, "
        f"and its manager {cast.manager.email}"
    )

    # DEBUG off serves static files through the manifest, which collectstatic writes.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=django_env(database_url),
        check=True,
    )
    log("bench: counting SQL queries per page ...")
    counts = query_counts_in_child(database_url, args.api_query)
    small, small_error = None, None
    if args.compare_small:
        small_url = default_database_url("small") if args.compare_small == "auto" else args.compare_small
        try:
            small = query_counts_in_child(small_url, args.api_query)
        except (RuntimeError, subprocess.SubprocessError) as exc:
            small_error = str(exc).splitlines()[0]
            log(f"bench: {exc}")

    token = make_token(cast.manager)
    cookies = {user.pk: make_session(user) for user in [*cast.reps, cast.manager]}
    port = free_port(args.port)
    server = Server(
        database_url=database_url,
        port=port,
        workers=args.workers,
        threads=args.threads,
        log_path=ROOT / "var" / "bench" / "gunicorn.log",
    )
    measured: dict[str, dict[int, Measured]] = {}

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        log(f"bench: gunicorn pid {server.proc.pid} on 127.0.0.1:{port}, waiting for it ...")
        server.wait_ready()
        only = set(args.only.split(",")) if args.only else None
        loads: dict[str, list[Request]] = {}
        for ep in ENDPOINTS:
            if only and ep.key not in only:
                continue
            reqs = requests_for(ep, cast, cookies, token, args.api_query)
            if not reqs:
                measured[ep.key] = {c: Measured(state="no data (no lessons)") for c in connections}
                continue
            status, location = probe(port, reqs[0])
            if status != 200:
                state = {404: "missing (404)"}.get(status, f"error ({status})")
                if status in (301, 302) and "login" in location:
                    state = "not signed in"
                measured[ep.key] = {c: Measured(state=state) for c in connections}
                log(f"bench: {ep.label}: {state}")
                continue
            loads[ep.key] = reqs
        # Pages take turns over several rounds (and client counts), so a change in background load touches them
        # alike; each page's figures at each count are the rounds' slices together.
        slices: dict[tuple[str, int], list[Measured]] = {(key, c): [] for key in loads for c in connections}
        for n in range(args.rounds):
            for c in connections:
                for ep in ENDPOINTS:
                    if ep.key not in loads:
                        continue
                    log(
                        f"bench: round {n + 1}/{args.rounds}, {c} client(s): {ep.label} "
                        f"({len(loads[ep.key])} distinct requests) ..."
                    )
                    slices[(ep.key, c)].append(
                        run_load(
                            port,
                            loads[ep.key],
                            concurrency=c,
                            duration=args.duration / args.rounds,
                            max_requests=max(1, args.max_requests // args.rounds),
                            warmup=args.warmup if n == 0 else 0.5,
                        )
                    )
        for (key, c), parts in slices.items():
            measured.setdefault(key, {})[c] = combine(parts)
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        from django.contrib.sessions.models import Session

        from kizuna.api.models import ApiToken

        Session.objects.filter(session_key__in=list(cookies.values())).delete()
        ApiToken.objects.filter(user=cast.manager, name=TOKEN_NAME).delete()
        log(f"bench: gunicorn stopped (exit {server.proc.returncode})")

    report: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "git": git_info(),
        "machine": {
            "cpus": platform_cpus(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": load_before,
            "load_average_after": list(os.getloadavg()),
        },
        "config": {
            "workers": args.workers,
            "threads": args.threads,
            "connections": connections,
            "duration": args.duration,
            "warmup": args.warmup,
            "rounds": args.rounds,
            "max_requests": args.max_requests,
            "signed_in_reps": len(cast.reps),
            "api_query": args.api_query,
            "database": database_url.split("@")[-1],
            "partner": TARGET_PARTNER_SLUG,
            "partner_reps": cast.partner_reps,
            "compare_small": bool(small),
        },
        "dataset": dataset_stats(),
        "query_count_lesson": counts.get("lesson"),
        "endpoints": [],
    }
    for ep in ENDPOINTS:
        by_count = measured.get(ep.key) or {c: Measured(state="not run") for c in connections}
        floor = measured.get("floor", {})
        report["endpoints"].append(
            {
                "key": ep.key,
                "label": ep.label,
                "note": ep.note,
                "as": ep.who,
                "state": next(iter(by_count.values())).state,
                "load": {str(c): m.summary() for c, m in by_count.items()},
                "ratio_to_floor": {
                    str(c): round(m.rps / floor[c].rps, 3)
                    for c, m in by_count.items()
                    if m.rps and c in floor and floor[c].rps
                },
                "queries": counts.get(ep.key, {}).get("queries"),
                "queries_status": counts.get(ep.key, {}).get("status"),
                "queries_small": (small or {}).get(ep.key, {}).get("queries"),
                "queries_small_status": (small or {}).get(ep.key, {}).get("status"),
            }
        )
    report["targets"] = evaluate(measured, counts, small, small_error, cast.partner_reps, connections)

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    text = json.dumps(report, indent=2, ensure_ascii=False)
    (RESULTS / f"{stamp}.json").write_text(text)
    (RESULTS / "latest.json").write_text(text)
    print_report(report)
    print(f"results: bench/results/{stamp}.json (and bench/results/latest.json)")
    failed = any(t["result"] == "FAIL" for t in report["targets"])
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
