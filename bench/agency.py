"""An agency's Monday morning: many reps at once against `manage.py serve`, on SQLite or PostgreSQL.

    bench/agency.py setup [--reps 2000] [--database-url URL]     # once per database: people and content
    bench/agency.py run --reps 200 --cadence real|stressed --duration 600 [--database-url URL]
    bench/agency.py ceiling [--steps 200,400,800,1200] [--step-seconds 60] [--database-url URL]

Each virtual rep signs in through the real sign-in form (spread over the ramp-up), opens the home page, then
watches a video lesson as `records/player.js` does: `launched`, then `progressed` with the played segments
every 30 s (`real`) or every 3–7 s (`stressed`), opening the home page and the next lesson now and then.
A statement that fails is retried with the same id, as the player's outbox does. Afterwards the harness checks
in the database that every acknowledged statement is stored exactly once, waits for the background projector
to catch up and checks that each rep's learning time equals what their statements say.

The server is `manage.py serve` (gunicorn, task worker, scheduler, projector) on 127.0.0.1 with its own data
folder under var/bench-agency/ (SQLite: its database is copied fresh from the one `setup` made, for each run).
Everything is bounded in time; the server is stopped by its pid. Not part of `make test`. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE = ROOT / "var" / "bench-agency"
PASSWORD = "kizuna-demo"
SECRET = "kizuna-bench-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
VIDEO_SECONDS = 1800.0  # long enough that nobody finishes it during a run
ADL = "http://adlnet.gov/expapi/verbs/"
VX = "https://w3id.org/xapi/video/extensions/"
VV = "https://w3id.org/xapi/video/verbs/"
RESULTS = ROOT / "bench" / "results"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _kind(database_url: str) -> str:
    return "postgresql" if database_url else "sqlite"


def _var_dir(database_url: str, *, template: bool) -> Path:
    return BASE / (_kind(database_url) + ("-template" if template else "-run"))


def _env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "KIZUNA_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "kizuna.settings",
            "DEBUG": "false",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


# --- setup -------------------------------------------------------------------------------------------


SETUP_CODE = r"""
import sys
import django
django.setup()
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from kizuna.accounts.models import User
from kizuna.catalog import services as catalog
from kizuna.media.models import Video
from kizuna.orgs.models import Membership, Organization, Team

reps = int(sys.argv[1])
agencies = int(sys.argv[2])
hashed = make_password("kizuna-demo")
with transaction.atomic():
    catalog.story_tags_ensure()
    principal = Organization.objects.create(name="絆ソフト株式会社", slug="principal", kind="principal")
    partners = [
        Organization.objects.create(name=f"パートナー{chr(65 + a)}株式会社", slug=f"agency-{chr(97 + a)}", kind="partner")
        for a in range(agencies)
    ]
    author = User.objects.create(email="author@principal.bench.example", name="作成 太郎", password=hashed)
    Membership.objects.create(user=author, organization=principal, role="author")
    admin = User.objects.create(email="admin@principal.bench.example", name="管理 花子", password=hashed)
    Membership.objects.create(user=admin, organization=principal, role="admin")
    # Reps take turns among the agencies (rep00001 in A, rep00002 in B, …): any first N reps span them all. Every
    # rep's address stays @agency-a.bench.example, which the run and its checks use to find them.
    teams = [
        Team.objects.create(organization=partners[i % agencies], name=f"チーム{i // agencies + 1}")
        for i in range(max(agencies, reps // 25))
    ]
    users = User.objects.bulk_create(
        [User(email=f"rep{i:05d}@agency-a.bench.example", name=f"営業 {i:05d}", password=hashed) for i in range(1, reps + 1)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organization=partners[i % agencies], role="rep",
                       team=teams[(i % agencies) + agencies * ((i // agencies) % (len(teams) // agencies))])
            for i, u in enumerate(users)
        ]
    )
    for c in range(3):
        course = catalog.course_create(author=author, title=f"商談の進め方 {c + 1}", slug=f"talk-{c + 1}")
        module = catalog.module_create(course=course, title="はじめに")
        for n in range(3):
            key = __import__("uuid").uuid4()
            video = Video.objects.create(
                key=key, title=f"トップ営業の商談 {c + 1}-{n + 1}", uploaded_by=author,
                original=f"videos/{key}/original", mp4=f"videos/{key}/video.mp4", poster=f"videos/{key}/poster.jpg",
                status=Video.Status.READY, duration_seconds=%(video)s, ready_at=timezone.now(),
            )
            catalog.lesson_create(module=module, kind="video", title=f"第{n + 1}話", video=video)
        catalog.lesson_create(module=module, kind="article", title="まとめ", body="# まとめ\n\nお客様第一。")
        catalog.course_publish(course=course, publisher=author)
        for partner in partners:
            catalog.assignment_create(
                course=course, assigned_by=admin, required=True, due_at=timezone.now() + timedelta(days=14),
                partner=partner,
            )
print("ok")
""".replace("%(video)s", repr(VIDEO_SECONDS))


def setup(args: argparse.Namespace) -> None:
    var_dir = _var_dir(args.database_url, template=True)
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    env = _env(_template_url(args.database_url), var_dir)
    if args.database_url:
        _reset_pg(_template_url(args.database_url))
    t0 = time.monotonic()
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    subprocess.run(
        [sys.executable, "-c", SETUP_CODE, str(args.reps), str(args.agencies)], env=env, cwd=ROOT, check=True
    )
    log(
        f"setup: {args.reps} reps in {args.agencies} agencies, 3 courses of 3 video lessons and an article, in {time.monotonic() - t0:.0f}s"
    )


def _template_url(database_url: str) -> str:
    return database_url + "_template" if database_url else ""


def _reset_pg(database_url: str, *, template: str = "") -> None:
    """Drop and create the database (as a copy of the template database when given)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def _fresh_run_dir(database_url: str) -> Path:
    """The data of one run: a fresh copy of the template (data folder with SQLite database, static files; and the
    PostgreSQL database)."""
    if database_url:
        _reset_pg(database_url, template=_template_url(database_url).rsplit("/", 1)[1])
    template = _var_dir(database_url, template=True)
    if not template.exists():
        raise SystemExit("run `bench/agency.py setup` first (with the same --database-url)")
    run_dir = _var_dir(database_url, template=False)
    if run_dir.exists():
        shutil.rmtree(run_dir)
    shutil.copytree(template, run_dir)
    return run_dir


# --- the server --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`manage.py serve` in its own process group, stopped by its pid."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = _free_port()
        self.log = open(env["KIZUNA_VAR_DIR"] + "/serve.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(self.port), "--workers", str(workers)],
            env={**env, "PORT": str(self.port)},
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 600  # a loaded machine boots gunicorn and Django slowly
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("the server did not start; see " + self.log.name)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


# --- the virtual rep ---------------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    acked: set[str] = field(default_factory=set)
    retries: int = 0
    error_samples: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if len(self.error_samples) < 20:
                self.error_samples.append(f"{kind}: {what}")


_STATEMENTS_URL = re.compile(r'data-statements-url="([^"]+)"')
_CSRF_DATA = re.compile(r'data-csrf="([^"]+)"')
_CSRF_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_LESSON_LINK = re.compile(r'href="(/learn/lessons/\d+/)"')
_COURSE_LINK = re.compile(r'href="(/learn/courses/\d+/)"')


class Rep(threading.Thread):
    def __init__(self, n: int, port: int, stats: Stats, *, cadence: str, start_at: float, end_at: float) -> None:
        super().__init__(daemon=True)
        self.email = f"rep{n:05d}@agency-a.bench.example"
        self.port, self.stats, self.cadence = port, stats, cadence
        self.start_at, self.end_at = start_at, end_at
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.rng = random.Random(n)

    # HTTP with cookies and one keep-alive connection, like a phone's browser.
    def request(self, kind: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        all_headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            started = time.monotonic()
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.conn.close()
                self.conn = None
                if attempt == 0:
                    continue  # a keep-alive connection the server closed: open a new one once
                self.stats.error(kind, repr(error))
                return None, b""
            self.stats.add(kind, time.monotonic() - started)
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.status >= 400:
                self.stats.error(kind, f"{response.status} {path}")
            return response.status, data
        return None, b""

    def sign_in(self) -> bool:
        status, page = self.request("sign-in page", "GET", "/accounts/login/")
        token = _CSRF_FORM.search(page.decode("utf-8", "replace")) if status == 200 else None
        if token is None:
            return False
        form = urlencode({"csrfmiddlewaretoken": token.group(1), "login": self.email, "password": PASSWORD})
        status, _ = self.request(
            "sign-in",
            "POST",
            "/accounts/login/",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"},
        )
        return status == 302 and "sessionid" in self.cookies

    def interval(self) -> float:
        return 30.0 if self.cadence == "real" else self.rng.uniform(3.0, 7.0)

    def send(self, url: str, csrf: str, statement: dict[str, Any]) -> None:
        body = json.dumps(statement).encode()
        headers = {"Content-Type": "application/json", "X-CSRFToken": csrf}
        for attempt in range(4):  # the player keeps a failed statement and sends it again, same id
            status, _ = self.request("statement POST", "POST", url, body, headers)
            if status == 200:
                with self.stats.lock:
                    self.stats.acked.add(statement["id"])
                return
            if status is not None and status < 500:
                return  # refused: the player drops it
            with self.stats.lock:
                self.stats.retries += 1
            time.sleep(1 + attempt)

    def run(self) -> None:
        time.sleep(max(0.0, self.start_at - time.monotonic()))
        if not self.sign_in():
            self.stats.error("sign-in", "failed")
            return
        status, home = self.request("home", "GET", "/")
        courses = sorted(set(_COURSE_LINK.findall(home.decode("utf-8", "replace")))) if status == 200 else []
        if not courses:
            self.stats.error("home", "no course on the home page")
            return
        position: dict[str, float] = {}
        while time.monotonic() < self.end_at:
            status, page = self.request("course", "GET", self.rng.choice(courses))
            lessons = sorted(set(_LESSON_LINK.findall(page.decode("utf-8", "replace")))) if status == 200 else []
            if not lessons:
                self.stats.error("course", "no lesson on the course page")
                return
            lesson = self.rng.choice(lessons)
            status, page = self.request("lesson", "GET", lesson)
            text = page.decode("utf-8", "replace")
            url, csrf = _STATEMENTS_URL.search(text), _CSRF_DATA.search(text)
            if status != 200 or not url or not csrf:
                self.stats.error("lesson", "no player on the lesson page")
                return
            url_s, csrf_s = url.group(1), csrf.group(1)
            self.send(url_s, csrf_s, {"id": str(uuid.uuid4()), "verb": {"id": ADL + "launched"}})
            session = str(uuid.uuid4())
            video = "<video" in text
            context = {"extensions": {VX + "session-id": session, VX + "length": VIDEO_SECONDS}}
            if video:  # the player's Video Profile statements: initialized, then played / paused per piece
                self.send(
                    url_s, csrf_s, {"id": str(uuid.uuid4()), "verb": {"id": ADL + "initialized"}, "context": context}
                )
            start = position.get(lesson, 0.0)
            # Watch (or read) for a few reports, then back to the home page and on to another lesson.
            for _ in range(self.rng.randint(4, 12)):
                wait = self.interval()
                if time.monotonic() + wait > self.end_at:
                    return
                time.sleep(wait)
                if video:
                    begin = position.get(lesson, 0.0)
                    end = min(begin + wait, VIDEO_SECONDS)
                    position[lesson] = end
                    played = {"id": str(uuid.uuid4()), "verb": {"id": VV + "played"}, "context": context}
                    played["result"] = {"extensions": {VX + "time": begin}}
                    self.send(url_s, csrf_s, played)
                    statement = {
                        "id": str(uuid.uuid4()),
                        "verb": {"id": VV + "paused"},
                        "result": {
                            "duration": f"PT{wait:.2f}S",
                            "extensions": {VX + "played-segments": f"{start:.2f}[.]{end:.2f}", VX + "time": end},
                        },
                        "context": context,
                    }
                else:
                    statement = {
                        "id": str(uuid.uuid4()),
                        "verb": {"id": ADL + "progressed"},
                        "result": {"duration": f"PT{wait:.2f}S"},
                    }
                self.send(url_s, csrf_s, statement)
            self.request("home", "GET", "/")


# --- checks ------------------------------------------------------------------------------------------

CHECK_CODE = r"""
import json, sys
import django
django.setup()
from django.db.models import Sum
from kizuna.records.models import LearningDay, PendingStatement, Statement
from kizuna.records.projections import counted_cap
acked = set(json.load(open(sys.argv[1])))
since = sys.argv[2]
reps = Statement.objects.filter(actor__email__endswith="@agency-a.bench.example", stored__gte=since)
ids = [str(i) for i in reps.values_list("id", flat=True)]
stored = set(ids)
counted = {}
for actor, verb, seconds in reps.values_list("actor_id", "verb", "duration_seconds"):
    counted[actor] = counted.get(actor, 0.0) + min(max(seconds or 0.0, 0.0), counted_cap(verb))
days = dict(LearningDay.objects.filter(user_id__in=list(counted)).values_list("user_id").annotate(s=Sum("seconds")))
wrong = [a for a, s in counted.items() if abs(days.get(a, 0.0) - s) > 0.01]
print(json.dumps({
    "acknowledged": len(acked), "stored": len(ids), "lost": len(acked - stored),
    "duplicated": len(ids) - len(stored), "unacknowledged_stored": len(stored - acked),
    "pending": PendingStatement.objects.count(), "learning_time_mismatches": len(wrong),
}))
"""

PENDING_CODE = r"""
import django
django.setup()
from kizuna.records.models import PendingStatement
print(PendingStatement.objects.count())
"""


def _pending(env: dict[str, str]) -> int:
    out = subprocess.run([sys.executable, "-c", PENDING_CODE], env=env, cwd=ROOT, capture_output=True, text=True)
    return int(out.stdout.strip() or -1)


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"n": len(values), "p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": at(1.0)}


class CpuMeter:
    """CPU seconds used by the server's processes (it and its descendants) and by one database's PostgreSQL backends.

    Read from /proc every 2 s, keeping each process's latest figure, so a backend that exits between two samples
    loses at most 2 s of its time; Linux only (elsewhere it reports nothing)."""

    def __init__(self, pgid: int, db_name: str) -> None:
        self.pgid, self.db_name = pgid, db_name
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self.app: dict[int, float] = {}
        self.db: dict[int, float] = {}
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _read(self) -> None:
        # serve's children (gunicorn, worker, scheduler, projector) run in their own sessions: follow the parents.
        procs: dict[int, tuple[int, float]] = {}
        for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                procs[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / self.tick)
            except (OSError, ValueError, IndexError):
                continue
        for pid, (_parent, seconds) in procs.items():
            ancestor, hops = pid, 0
            while ancestor in procs and ancestor != self.pgid and hops < 20:
                ancestor, hops = procs[ancestor][0], hops + 1
            if ancestor == self.pgid:
                self.app[pid] = seconds
                continue
            try:
                if self.db_name and f" {self.db_name} " in Path(f"/proc/{pid}/cmdline").read_text():
                    self.db[pid] = seconds
            except OSError:
                continue

    def _loop(self) -> None:
        while not self.stop_event.wait(2):
            self._read()

    def start(self) -> None:
        self._read()
        self.base = (sum(self.app.values()), sum(self.db.values()), _self_cpu())
        self.thread.start()

    def stop(self) -> dict[str, float]:
        self.stop_event.set()
        self._read()
        return {
            "server_s": round(sum(self.app.values()) - self.base[0], 1),
            "postgresql_s": round(sum(self.db.values()) - self.base[1], 1),
            "load_generator_s": round(_self_cpu() - self.base[2], 1),
        }


def _self_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load(port: int, *, reps: int, cadence: str, duration: float, ramp: float, first: int = 1) -> Stats:
    stats = Stats()
    now = time.monotonic()
    end = now + ramp + duration
    threads = [
        Rep(first + i, port, stats, cadence=cadence, start_at=now + ramp * i / max(1, reps), end_at=end)
        for i in range(reps)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, end - time.monotonic() + 120))
    return stats


def _summary(stats: Stats, seconds: float) -> dict[str, Any]:
    kinds = {kind: _percentiles(values) for kind, values in sorted(stats.times.items())}
    pages = [v for k, vs in stats.times.items() if k in ("home", "course", "lesson") for v in vs]
    total = sum(len(v) for v in stats.times.values())
    return {
        "requests": total,
        "requests_per_second": round(total / seconds, 1),
        "by_kind": kinds,
        "pages": _percentiles(pages),
        "errors": stats.errors,
        "error_samples": stats.error_samples,
        "retries": stats.retries,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    run_dir = _fresh_run_dir(args.database_url)
    env = _env(args.database_url, run_dir)
    since = datetime.now().astimezone().isoformat()
    server = Server(env, args.workers)
    log(f"serve on 127.0.0.1:{server.port} ({_kind(args.database_url)}); {args.reps} reps, {args.cadence} cadence")
    pending_max = 0
    stop_sampling = threading.Event()

    def sample() -> None:
        nonlocal pending_max
        while not stop_sampling.wait(15):
            pending_max = max(pending_max, _pending(env))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu = CpuMeter(server.proc.pid, args.database_url.rsplit("/", 1)[1] if args.database_url else "")
    load_before = os.getloadavg()[0]
    try:
        t0 = time.monotonic()
        cpu.start()
        stats = _load(server.port, reps=args.reps, cadence=args.cadence, duration=args.duration, ramp=args.ramp)
        elapsed = time.monotonic() - t0
        cpu_used = cpu.stop()
        load_after = os.getloadavg()[0]
        stop_sampling.set()
        t1 = time.monotonic()
        while _pending(env) > 0 and time.monotonic() - t1 < 300:
            time.sleep(1)
        catch_up = time.monotonic() - t1
    finally:
        stop_sampling.set()
        server.stop()
    acked_file = run_dir / "acked.json"
    acked_file.write_text(json.dumps(sorted(stats.acked)))
    check = subprocess.run(
        [sys.executable, "-c", CHECK_CODE, str(acked_file), since], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if check.returncode:
        log(check.stderr)
    result = {
        "database": _kind(args.database_url),
        "reps": args.reps,
        "cadence": args.cadence,
        "duration_s": args.duration,
        "ramp_s": args.ramp,
        "workers": args.workers,
        **_summary(stats, elapsed),
        # CPU of the load window (sign-ins and ramp included): the server's processes (gunicorn, task worker,
        # scheduler, projector) and the database's backends, per request served; less noisy than latency on a
        # shared machine.
        "cpu": {
            **cpu_used,
            "server_ms_per_request": round(
                1000 * cpu_used["server_s"] / max(1, sum(map(len, stats.times.values()))), 2
            ),
            "postgresql_ms_per_request": round(
                1000 * cpu_used["postgresql_s"] / max(1, sum(map(len, stats.times.values()))), 2
            ),
        },
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "integrity": json.loads(check.stdout or "{}"),
        "projector": {"queue_max_sampled": pending_max, "catch_up_after_load_s": round(catch_up, 1)},
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "when": datetime.now().isoformat(timespec="seconds"),
    }
    return result


def ceiling(args: argparse.Namespace) -> dict[str, Any]:
    run_dir = _fresh_run_dir(args.database_url)
    env = _env(args.database_url, run_dir)
    server = Server(env, args.workers)
    steps = []
    try:
        for reps in [int(x) for x in args.steps.split(",")]:
            log(f"ceiling: {reps} reps, stressed cadence, {args.step_seconds}s")
            t0 = time.monotonic()
            stats = _load(server.port, reps=reps, cadence="stressed", duration=args.step_seconds, ramp=args.ramp)
            summary = _summary(stats, time.monotonic() - t0)
            p95 = max(
                summary["by_kind"].get(k, {}).get("p95_ms", 0) for k in ("statement POST", "home", "course", "lesson")
            )
            steps.append({"reps": reps, "worst_p95_ms": p95, **summary})
            log(f"  worst p95 {p95} ms, {summary['requests_per_second']} req/s, errors {summary['errors']}")
            if p95 > 1000:
                break
    finally:
        server.stop()
    over = next((s["reps"] for s in steps if s["worst_p95_ms"] > 1000), None)
    return {"database": _kind(args.database_url), "ceiling_reps_p95_over_1s": over, "steps": steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("setup", "run", "ceiling"):
        p = sub.add_parser(name)
        p.add_argument("--database-url", default="", help="PostgreSQL URL; SQLite (the embedded default) if empty")
        p.add_argument("--workers", type=int, default=3, help="gunicorn workers (serve's default)")
        p.add_argument("--ramp", type=float, default=60.0, help="seconds over which the reps sign in")
        if name == "setup":
            p.add_argument("--reps", type=int, default=2000)
            p.add_argument("--agencies", type=int, default=1, help="partner agencies the reps take turns among")
        if name == "run":
            p.add_argument("--reps", type=int, default=200)
            p.add_argument("--cadence", choices=["real", "stressed"], default="real")
            p.add_argument("--duration", type=float, default=600.0)
        if name == "ceiling":
            p.add_argument("--steps", default="200,400,600,800,1200,1600")
            p.add_argument("--step-seconds", type=float, default=60.0)
    args = parser.parse_args()
    if args.command == "setup":
        setup(args)
        return
    result = run(args) if args.command == "run" else ceiling(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"agency-{args.command}-{result['database']}-{datetime.now():%Y%m%d-%H%M%S}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    integrity = result.get("integrity") or {}
    bad = integrity.get("lost") or integrity.get("duplicated") or integrity.get("learning_time_mismatches")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
