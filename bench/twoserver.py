"""Two app servers behind nginx, two task workers, two schedulers, on PostgreSQL, Redis and an S3 server; a scripted
day with an app server and task workers killed mid-run; then checks that nothing was lost or done twice.

    bench/twoserver.py [--reps 40] [--duration 90] [--database-url postgres://…/kizuna_twoserver]

Everything runs on 127.0.0.1: Debian's nginx (its own config and folders in a temporary directory), two gunicorn
servers, two `rq_worker`s, two `run_scheduler`s and one `run_projector`, Debian's redis-server, moto's S3 server,
and the test suite's push service (kizuna/notifications/tests/push_receiver.py: it checks each push's VAPID
signature and decrypts its payload as a phone would).
The day: reps sign in through nginx and watch lessons (bench/agency.py's virtual reps, each statement retried
with the same id as the player does); reps turn push on for their phones; the author uploads a video and a rep
hands in a roleplay take in chunks, both transcoded by a worker into the bucket. A third of the way in, the harness
kills (SIGKILL, by pid: only processes it started, with what they started) app server 1 (its gunicorn master and
workers) and the worker running the transcode; their supervisor (the harness) starts them again. Then an admin
publishes a flash update, and the worker e-mailing and pushing it is killed mid-task; the manager downloads the
learning-time report (XLSX, CSV) and asks for their data export, and the worker building it is killed mid-task;
the coach reviews the take. Afterwards it checks: every acknowledged statement stored once, the projector caught
up, learning time equal to the statements, the video and the take ready in the bucket, the coach's review stored
once and shown to the rep by both app servers, the flash update on the reps' home on both app servers, e-mailed
once to each rep and pushed exactly once to each subscribed phone, the export built once into the bucket and
downloaded through its signed URL, every task message done exactly once, no job's time run twice by the two
schedulers. Writes bench/results/twoserver-<time>.json. Not part of `make test` (`make bench-twoserver`; see
bench/README.md). The first run migrates and keeps the database as a template; later runs with the same
migrations and --reps copy it.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import agency  # noqa: E402

from kizuna.notifications.tests import push_receiver  # noqa: E402  (the suite's RFC 8291/8292 push service)

ROOT = agency.ROOT
DEFAULT_DB = "postgres://kizuna:kizuna-bench@127.0.0.1:55432/kizuna_twoserver"
log = agency.log


class Processes:
    """The processes this harness started, each in its own session; stopped (or killed) by pid only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        out = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603
            args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started[name] = process
        return process

    def kill(self, name: str) -> None:
        """SIGKILL a process we started, its group (gunicorn's workers die with their master) and what it started in
        sessions of its own (a worker's ffmpeg), as when its machine or container dies."""
        process = self.started[name]
        children = descendants(process.pid)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        children = [pid for p in self.started.values() if p.poll() is None for pid in descendants(p.pid)]
        for process in reversed(self.started.values()):  # the fleet first, the engines (Redis, S3) last
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.started.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for pid in children:  # what they started in sessions of their own and left behind (a worker's ffmpeg)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    """The processes below `pid` (children, grandchildren…), read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def wait_http(url: str, *, timeout: float, ok: tuple[int, ...] = (200,)) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (loopback)
                if answer.status in ok:
                    return
        except urllib.error.HTTPError as error:
            if error.code in ok:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {timeout:.0f}s")


NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {dir}/nginx-access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 600m;
    upstream kizuna {{
        server 127.0.0.1:{web1} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{web2} max_fails=1 fail_timeout=10s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://kizuna;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""

STATE_CODE = r"""
import json, django
django.setup()
from kizuna.ops.models import ScheduleTick, TaskRun, WorkerHeartbeat
from kizuna.media.models import Video
runs = list(TaskRun.objects.values("task_id", "task_path", "status", "attempts", "worker_id"))
beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "pid"))
videos = list(Video.objects.filter(title__startswith="twoserver").values("id", "status", "mp4"))
ticks = ScheduleTick.objects.count()
print(json.dumps({"runs": runs, "beats": beats, "videos": videos, "ticks": ticks}, default=str))
"""


def state(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", STATE_CODE], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_video(folder: Path, seconds: int, *, name: str = "take.mp4", size: str = "1280x720") -> bytes:
    path = folder / name
    subprocess.run(  # noqa: S603
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size={size}:rate=30:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast",
         "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


class Rep(agency.Rep):
    """bench/agency.py's virtual rep, who signs in again when a sign-in is cut off (its server was killed)."""

    def sign_in(self) -> bool:
        for attempt in range(3):
            if super().sign_in():
                return True
            self.cookies.clear()
            time.sleep(1 + attempt)
        return False


def upload(port: int, data: bytes, title: str) -> tuple[int | None, str]:
    """The author signs in through nginx and posts a video as the studio's form does."""
    author = Rep(0, port, agency.Stats(), cadence="real", start_at=0, end_at=0)
    author.email = "author@principal.bench.example"
    if not author.sign_in():
        return None, "author could not sign in"
    status, page = author.request("studio", "GET", "/studio/videos/")
    token = agency._CSRF_FORM.search(page.decode("utf-8", "replace"))
    if status != 200 or token is None:
        return status, "no upload form"
    boundary = uuid.uuid4().hex
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token.group(1)}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="take.mp4"\r\n'.encode()
            + b"Content-Type: video/mp4\r\n\r\n"
            + data
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
    )
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Referer": f"http://127.0.0.1:{port}/studio/videos/",
        "Accept-Language": "ja",
    }
    for attempt in range(3):  # a 502 is an upload cut off with its server: nothing was stored, send it again
        status, _ = author.request("upload", "POST", "/studio/videos/", body, headers)
        if status != 502:
            break
        time.sleep(1 + attempt)
    return status, ""


# --- the rest of the day's cast: a coach, a manager, a rep who hands in a roleplay take, push subscribers ---------

CAST_CODE = r"""
import django
django.setup()
from django.contrib.auth.hashers import make_password
from django.db import transaction
from kizuna.accounts.models import User
from kizuna.coaching import services as coaching
from kizuna.orgs.models import Membership, Organization, Team

hashed = make_password("kizuna-demo")
with transaction.atomic():
    principal = Organization.objects.get(slug="principal")
    partner = Organization.objects.get(slug="agency-a")
    team = Team.objects.filter(organization=partner).order_by("pk").first()
    coach = User.objects.create(email="coach@principal.bench.example", name="指導 一郎", password=hashed)
    Membership.objects.create(user=coach, organization=principal, role="coach")
    manager = User.objects.create(email="manager@agency-a.bench.example", name="管理 次郎", password=hashed)
    Membership.objects.create(user=manager, organization=partner, role="manager", team=team)
    taker = User.objects.create(email="taker@agency-a.bench.example", name="営業 撮影", password=hashed)
    Membership.objects.create(user=taker, organization=partner, role="rep", team=team)
    roleplay = coaching.roleplay_create(
        author=coach, title="初回訪問のロールプレイ", situation="初めて訪問するお客様です。",
        persona="忙しい店長です。", goal="次の約束を取ります。",
        criteria=[
            coaching.CriterionInput(title="ヒアリング", weight=2, levels=["弱い", "普通", "強い"]),
            coaching.CriterionInput(title="次の約束", weight=1, levels=["なし", "あり"]),
        ],
        review_by_coach=True, review_by_manager=False, peer_count=0,
    )
    coaching.roleplay_publish(roleplay=roleplay)
    coaching.roleplay_target_add(roleplay=roleplay, assigned_by=coach, partner=partner)
print("cast ok")
"""

DAY_STATE_SQL = {
    "reviews": "SELECT r.status, r.submission_id, r.feedback FROM coaching_review r",
    "takes": "SELECT s.id, v.status, v.mp4 FROM coaching_submission s LEFT JOIN media_video v ON v.id = s.video_id",
    "exports": "SELECT e.status, e.file, e.size FROM privacy_dataexport e",
    "updates": "SELECT u.id, u.title, u.status FROM updates_flashupdate u",
    "mails": "SELECT m.kind, count(*) FROM updates_mailsent m GROUP BY m.kind",
    "subscriptions": "SELECT count(*), count(last_sent_at) FROM notifications_pushsubscription",
    "roleplays": "SELECT id FROM coaching_roleplay ORDER BY id",
}


def template_name(database_url: str, reps: int) -> str:
    """The name of the migrated database with the cast, kept for the next run: it changes with the migrations,
    the set-up code and --reps."""
    digest = hashlib.sha256(f"{agency.SETUP_CODE}{CAST_CODE}{reps}".encode())
    for path in sorted(ROOT.glob("kizuna/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return f"{database_url.rsplit('/', 1)[1]}_tpl_{digest.hexdigest()[:10]}"


def static_copy(env: dict[str, str], var_dir: Path) -> None:
    """collectstatic once per version of the static files (minutes on a saturated machine), then copy it."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("kizuna/**/static/**/*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    kept = ROOT / "var" / "bench" / "twoserver-static" / digest.hexdigest()[:12]
    if not kept.exists():
        agency._manage(env, "collectstatic", "--noinput", "-v0")
        shutil.rmtree(kept.parent, ignore_errors=True)
        shutil.copytree(var_dir / "static", kept)
    else:
        shutil.copytree(kept, var_dir / "static")


def template_exists(database_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def template_save(database_url: str, name: str) -> None:
    """Copy the freshly set-up database as the template; drop older templates of this bench."""
    import psycopg

    base = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        olds = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [base + "\\_tpl\\_%"]).fetchall()
        for (old,) in olds:
            conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base}"')


def day_state(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        return {name: [tuple(row) for row in conn.execute(sql).fetchall()] for name, sql in DAY_STATE_SQL.items()}


def person(port: int, email: str) -> Rep:
    """Someone of the cast who signs in through `port` (nginx, or one app server directly)."""
    someone = Rep(0, port, agency.Stats(), cadence="real", start_at=0, end_at=0)
    someone.email = email
    # A patient browser: on a saturated machine a sign-in (a password hash) can wait longer than a rep's minute.
    someone.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    if not someone.sign_in():
        raise RuntimeError(f"{email} could not sign in")
    return someone


def on_server(someone: Rep, port: int) -> Rep:
    """The same browser (its cookies) asking one app server directly, bypassing nginx."""
    direct = Rep(0, port, agency.Stats(), cadence="real", start_at=0, end_at=0)
    direct.email, direct.cookies = someone.email, dict(someone.cookies)
    return direct


_CSRF_ANY = re.compile(r'(?:name="csrfmiddlewaretoken" value|data-csrf)="([^"]+)"')


def csrf_of(someone: Rep, path: str) -> str:
    status, page = someone.request("page", "GET", path)
    found = _CSRF_ANY.search(page.decode("utf-8", "replace")) if status == 200 else None
    return found.group(1) if found else someone.cookies.get("csrftoken", "")


def post_form(someone: Rep, path: str, fields: dict[str, Any], *, page: str = "") -> tuple[int | None, bytes]:
    """Post a form as the browser does (token from the form's page); once more if nginx answered 502."""
    for attempt in range(3):
        token = csrf_of(someone, page or path)
        body = urlencode({"csrfmiddlewaretoken": token, **fields}, doseq=True).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{someone.port}{page or path}",
            "Accept-Language": "ja",
        }
        status, answer = someone.request("form", "POST", path, body, headers)
        if status not in (None, 502):
            break
        time.sleep(1 + attempt)
    return status, answer


def post_json(someone: Rep, path: str, data: dict[str, Any], token: str) -> tuple[int | None, dict[str, Any]]:
    headers = {"Content-Type": "application/json", "X-CSRFToken": token, "Referer": f"http://127.0.0.1:{someone.port}/"}
    for attempt in range(3):
        status, answer = someone.request("json", "POST", path, json.dumps(data).encode(), headers)
        if status not in (None, 502):
            try:
                return status, json.loads(answer or b"{}")
            except ValueError:
                return status, {"raw": answer[:200].decode("utf-8", "replace")}
        time.sleep(1 + attempt)
    return status, {}


def upload_take(port: int, roleplay_id: int, data: bytes) -> dict[str, Any]:
    """The rep hands in a roleplay take as recorder.js does: start, offset-checked chunks (resumed after a cut), finish."""
    rep = person(port, "taker@agency-a.bench.example")
    token = csrf_of(rep, f"/roleplay/{roleplay_id}/record/")
    form = urlencode({"size": len(data), "statement_id": str(uuid.uuid4())}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token}
    started: dict[str, Any] = {}
    for attempt in range(3):
        status, answer = rep.request("take start", "POST", f"/roleplay/{roleplay_id}/uploads", form, headers)
        if status == 201:
            started = json.loads(answer)
            break
        time.sleep(1 + attempt)
    if not started:
        return {"error": f"upload did not start: {status}"}
    offset, chunk, cuts = 0, int(started["chunk"]), 0
    while offset < len(data):
        part = data[offset : offset + chunk]
        status, answer = rep.request(
            "take chunk", "PUT", started["url"], part,
            {"Upload-Offset": str(offset), "Content-Type": "application/octet-stream", "X-CSRFToken": token},
        )  # fmt: skip
        if status in (200, 409):
            offset = json.loads(answer)["offset"]
            continue
        cuts += 1  # cut off (its server was killed): ask where to go on, as the page does
        if cuts > 10:
            return {"error": f"chunk refused: {status}"}
        time.sleep(1)
        status, answer = rep.request("take offset", "GET", started["url"])
        if status == 200:
            offset = json.loads(answer)["offset"]
    for attempt in range(3):  # finishing twice returns the same take
        status, answer = rep.request("take finish", "POST", started["finish_url"], b"", headers)
        if status == 200:
            url = json.loads(answer)["url"]
            return {"url": url, "submission_id": int(url.rstrip("/").rsplit("/", 1)[1]), "cuts": cuts, "rep": rep}
        time.sleep(1 + attempt)
    return {"error": f"finish answered {status}"}


def coach_review(port: int, take_url: str, feedback: str) -> dict[str, Any]:
    """The coach opens the take, picks a level and writes a reason for each criterion and the overall feedback."""
    coach = person(port, "coach@principal.bench.example")
    status, page = coach.request("take page", "GET", take_url)
    criteria = sorted(set(re.findall(r'name="level_(\d+)"', page.decode("utf-8", "replace"))))
    if status != 200 or not criteria:
        return {"error": f"no review form ({status})"}
    fields: dict[str, Any] = {"feedback": feedback}
    for pk in criteria:
        fields[f"level_{pk}"] = "2"
        fields[f"reason_{pk}"] = "質問で課題を引き出せています。"
    status, _answer = post_form(coach, take_url + "review", fields, page=take_url)
    return {"status": status, "criteria": len(criteria)}


def location_of(someone: Rep, path: str) -> tuple[int, str]:
    """GET a path without following its redirect; return the status and where it points."""
    conn = http.client.HTTPConnection("127.0.0.1", someone.port, timeout=60)
    try:
        cookies = "; ".join(f"{k}={v}" for k, v in someone.cookies.items())
        conn.request("GET", path, headers={"Cookie": cookies})
        answer = conn.getresponse()
        answer.read()
        return answer.status, answer.getheader("Location") or ""
    finally:
        conn.close()


def push_key() -> str:
    """A fresh VAPID private key as WEBPUSH_VAPID_PRIVATE_KEY takes it (the 32-byte scalar, base64url)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    scalar = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value.to_bytes(32, "big")
    return base64.urlsafe_b64encode(scalar).rstrip(b"=").decode()


def subscribe(port: int, email: str, endpoint: str, browser: Any) -> int | None:
    """A rep turns push on for one phone (the push settings page's subscribe call)."""
    rep = person(port, email)
    token = csrf_of(rep, "/notifications/push/")
    data = {"endpoint": endpoint, "keys": {"p256dh": browser.p256dh, "auth": push_receiver.b64url(browser.auth)}}
    status, _answer = post_json(rep, "/notifications/push/subscribe/", data, token)
    return status


def publish_update(port: int, title: str) -> tuple[int | None, str]:
    """An admin writes a flash update for all partners and publishes it at once."""
    admin = person(port, "admin@principal.bench.example")
    fields = {"title": title, "body": "新しい料金表を確認してください。", "audience": "all", "action": "publish"}
    status, answer = post_form(admin, "/updates/new/", fields)
    return status, "" if status == 302 else answer[:300].decode("utf-8", "replace")


def manager_exports(port: int, s3_endpoint: str, *, timeout: float) -> dict[str, Any]:
    """The manager downloads the month's learning-time report (XLSX and CSV, built by the app server), and asks for
    their data export (a zip of CSVs built by a worker into the bucket), then downloads it through its signed URL."""
    import io
    import zipfile

    import openpyxl

    manager = person(port, "manager@agency-a.bench.example")
    out: dict[str, Any] = {}
    status, data = manager.request("export", "GET", "/learning-time/export/?format=xlsx")
    if status == 200:
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
        out["xlsx_rows"] = sum(1 for _ in sheet.iter_rows()) if sheet is not None else 0
    out["xlsx_status"] = status
    status, data = manager.request("export", "GET", "/learning-time/export/?format=csv")
    out["csv_status"], out["csv_lines"] = status, data.decode("utf-8-sig", "replace").count("\n")
    status, _answer = post_form(manager, "/me/data/", {})
    out["request_status"] = status
    out["requested_at_s"] = time.monotonic()
    deadline = time.monotonic() + timeout
    link = None
    while time.monotonic() < deadline:
        status, page = manager.request("my data", "GET", "/me/data/")
        link = re.search(r'href="(/me/data/[0-9a-f-]{36}/download/)"', page.decode("utf-8", "replace"))
        if link:
            break
        time.sleep(1)
    if link is None:
        return {**out, "error": "the export was not ready in time"}
    out["ready_after_s"] = round(time.monotonic() - out.pop("requested_at_s"), 1)
    status, redirect = location_of(manager, link.group(1))
    out["download_status"] = status
    out["signed_url_to_bucket"] = redirect.startswith(s3_endpoint) and "Signature" in redirect
    if redirect.startswith(s3_endpoint):
        with urllib.request.urlopen(redirect, timeout=60) as answer:  # noqa: S310 (loopback)
            archive = zipfile.ZipFile(io.BytesIO(answer.read()))
        names = archive.namelist()
        out["zip_files"] = len(names)
        out["zip_csvs"] = sum(1 for n in names if n.endswith(".csv"))
        out["zip_ok"] = archive.testzip() is None
    return out


def load(port: int, *, reps: int, duration: float, ramp: float) -> tuple[agency.Stats, int]:
    """Run the reps; return their figures and how many of them signed in."""
    stats = agency.Stats()
    now = time.monotonic()
    end = now + ramp + duration
    threads = [
        Rep(1 + i, port, stats, cadence="stressed", start_at=now + ramp * i / max(1, reps), end_at=end)
        for i in range(reps)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, end - time.monotonic() + 120))
    return stats, sum(1 for thread in threads if "sessionid" in thread.cookies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--duration", type=float, default=90.0)
    parser.add_argument("--ramp", type=float, default=15.0)
    parser.add_argument("--video-seconds", type=int, default=120)
    parser.add_argument("--learners", type=int, default=0, help="how many of the reps learn (default: all)")
    parser.add_argument("--take-seconds", type=int, default=20, help="length of the rep's roleplay take")
    parser.add_argument("--subscribers", type=int, default=4, help="reps with a phone subscribed to push (+1 with two)")
    parser.add_argument("--database-url", default=os.environ.get("TWOSERVER_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()
    # SIGTERM (a `timeout`, a CI runner) unwinds like Ctrl-C, so the processes started below are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for binary in ("nginx", "redis-server", "ffmpeg"):
        if not shutil.which(binary) and not Path(f"/usr/sbin/{binary}").exists():
            raise SystemExit(f"{binary} is missing (apt-get install nginx-light redis-server ffmpeg)")

    work = Path(tempfile.mkdtemp(prefix="kizuna-twoserver-"))
    procs = Processes(work)
    result: dict[str, Any] = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "reps": args.reps,
        "learners": args.learners or args.reps,
    }
    receiver = push_receiver.PushReceiver()  # the reps' phones' push service, on loopback
    try:
        # --- the engines -----------------------------------------------------------------------------
        redis_port, s3_port = agency._free_port(), agency._free_port()
        procs.start(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--dir", str(work), "--save", "",
             "--appendonly", "no"],
        )  # fmt: skip
        procs.start("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)])
        wait_http(f"http://127.0.0.1:{s3_port}/", timeout=60, ok=(200, 403, 404))
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "kizuna-bench")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "kizuna-bench-secret")
        import boto3

        endpoint = f"http://127.0.0.1:{s3_port}"
        bucket = boto3.resource("s3", endpoint_url=endpoint, region_name="us-east-1").Bucket("kizuna-twoserver")
        bucket.create()

        var_dir = work / "var"
        var_dir.mkdir()
        template = template_name(args.database_url, args.reps)
        from_template = template_exists(args.database_url, template)
        agency._reset_pg(args.database_url, template=template if from_template else "")
        env = agency._env(args.database_url, var_dir)
        env.update(
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            STORAGE_URL=f"s3://kizuna-twoserver?endpoint_url={endpoint}&region_name=us-east-1&addressing_style=path",
            AWS_ACCESS_KEY_ID=os.environ["AWS_ACCESS_KEY_ID"],
            AWS_SECRET_ACCESS_KEY=os.environ["AWS_SECRET_ACCESS_KEY"],
            TRUSTED_PROXY_COUNT="1",
            TASKS_HEARTBEAT_SECONDS="1",
            TASKS_STALE_SECONDS="6",
            TASKS_RETRY_DELAY_SECONDS="2",
            LOG_LEVEL="WARNING",
            # Web Push to the receiver on loopback: signed with a fresh VAPID key, to an http endpoint.
            WEBPUSH_VAPID_PRIVATE_KEY=push_key(),
            WEBPUSH_ALLOW_HTTP_ENDPOINTS="true",
            OUTBOUND_ALLOW_LOOPBACK="true",
        )
        t0 = time.monotonic()
        if not from_template:  # migrate and make the cast once; later runs copy the database (same code, --reps)
            agency._manage(env, "migrate", "--noinput", "-v0")
            # One agency: the day's checks find every rep in agency-a (agency.py's setup takes the count since).
            setup = [sys.executable, "-c", agency.SETUP_CODE, str(args.reps), "1"]
            subprocess.run(setup, env=env, cwd=ROOT, check=True)  # noqa: S603
            subprocess.run([sys.executable, "-c", CAST_CODE], env=env, cwd=ROOT, check=True)  # noqa: S603
            template_save(args.database_url, template)
        static_copy(env, var_dir)
        roleplay_id = day_state(args.database_url)["roleplays"][0][0]
        log(
            f"set up in {time.monotonic() - t0:.0f}s ({'copied from ' + template if from_template else 'migrated'}): "
            f"PostgreSQL, Redis :{redis_port}, S3 :{s3_port}"
        )

        # --- the fleet -------------------------------------------------------------------------------
        manage = [sys.executable, str(ROOT / "manage.py")]
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        webs: dict[str, int] = {}

        def start_web(name: str, port: int) -> None:
            procs.start(
                name,
                [gunicorn, "kizuna.wsgi", "--config", "python:kizuna.ops.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
                 "--workers", "2", "--timeout", "120", "--no-control-socket"],
                env,
            )  # fmt: skip

        for name in ("web1", "web2"):
            webs[name] = agency._free_port()
            start_web(name, webs[name])
        for name in ("worker1", "worker2"):
            procs.start(name, [*manage, "rq_worker"], env)
        for name in ("scheduler1", "scheduler2"):
            procs.start(name, [*manage, "run_scheduler"], env)
        procs.start("projector", [*manage, "run_projector"], env)
        for port in webs.values():
            wait_http(f"http://127.0.0.1:{port}/readyz", timeout=180)
        lb_port = agency._free_port()
        work.chmod(0o755)  # nginx's workers run as an unprivileged user: they buffer request bodies here
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (work / sub).mkdir(mode=0o777)
            (work / sub).chmod(0o777)
        (work / "nginx.conf").write_text(
            NGINX_CONF.format(dir=work, web1=webs["web1"], web2=webs["web2"], port=lb_port)
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        procs.start("nginx", [nginx, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"])
        wait_http(f"http://127.0.0.1:{lb_port}/readyz", timeout=30)
        log(f"nginx :{lb_port} → web1 :{webs['web1']}, web2 :{webs['web2']}; 2 workers, 2 schedulers, 1 projector")

        # --- the day ---------------------------------------------------------------------------------
        since = datetime.now().astimezone().isoformat()
        video = make_video(work, args.video_seconds)
        take_video = make_video(work, args.take_seconds, name="roleplay.mp4", size="640x360")
        events: dict[str, Any] = {}
        second_act = threading.Event()
        feedback = f"ヒアリングが丁寧でした。次は日程を決めましょう。({uuid.uuid4().hex[:8]})"
        update_title = f"料金改定のお知らせ {uuid.uuid4().hex[:6]}"
        phones = [("taker@agency-a.bench.example", "taker-phone"), ("taker@agency-a.bench.example", "taker-tablet")]
        phones += [(f"rep{n:05d}@agency-a.bench.example", f"rep{n:05d}-phone") for n in range(1, 1 + args.subscribers)]

        def worker_pid(worker_id: str) -> int | None:
            import psycopg

            with psycopg.connect(args.database_url, autocommit=True) as conn:
                row = conn.execute("SELECT pid FROM ops_workerheartbeat WHERE worker_id = %s", [worker_id]).fetchone()
            return row[0] if row else None

        def ours(pid: int | None) -> str | None:
            alive = [n for n, p in procs.started.items() if n.startswith("worker") and p.poll() is None]
            return next((n for n in alive if procs.started[n].pid == pid), None)

        def author_day() -> None:
            time.sleep(args.ramp)
            events["upload"] = upload(lb_port, video, "twoserver take")

        def rep_day() -> None:
            time.sleep(args.ramp / 2)
            events["subscribed"] = [subscribe(lb_port, email, *receiver.new_browser(name)) for email, name in phones]
            time.sleep(args.ramp / 2)
            events["take"] = upload_take(lb_port, roleplay_id, take_video)

        def killer() -> None:
            time.sleep(args.ramp + args.duration * 0.35)
            procs.kill("web1")
            events["web1_killed_at_s"] = round(time.monotonic() - day_started, 1)
            log("killed app server 1 (gunicorn master and workers)")
            import psycopg

            deadline = time.monotonic() + 300  # the upload and the queue can be slow on a saturated machine
            victim = None
            with psycopg.connect(args.database_url, autocommit=True) as conn:
                while time.monotonic() < deadline and victim is None:  # the worker that is transcoding, mid-task
                    row = conn.execute(
                        "SELECT worker_id FROM ops_taskrun WHERE status = 'running' AND task_path LIKE '%transcode%'"
                    ).fetchone()
                    victim = ours(worker_pid(row[0])) if row else None
                    if victim:
                        time.sleep(1)
                        procs.kill(victim)
                        events["worker_killed"] = victim
                        events["worker_killed_at_s"] = round(time.monotonic() - day_started, 1)
                        log(f"killed {victim} mid-transcode")
                    time.sleep(0.1)
            # Their supervisor starts them again: app server 1 on its port (nginx takes it back), the worker anew.
            time.sleep(3)
            start_web("web1b", webs["web1"])
            if victim:
                procs.start(f"{victim}b", [*manage, "rq_worker"], env)
            wait_http(f"http://127.0.0.1:{webs['web1']}/readyz", timeout=180)
            events["web1_back_at_s"] = round(time.monotonic() - day_started, 1)
            log("app server 1 and the worker are back")
            second_act.set()

        def kill_mid(task: str, label: str, stop: threading.Event) -> None:
            """Kill the worker that runs `task`, caught mid-task by polling its claim; its supervisor starts another."""
            import psycopg

            deadline = time.monotonic() + 120
            with psycopg.connect(args.database_url, autocommit=True) as conn:
                while not stop.is_set() and time.monotonic() < deadline:
                    rows = conn.execute(
                        "SELECT status, worker_id FROM ops_taskrun WHERE task_path LIKE %s", [f"%{task}%"]
                    ).fetchall()
                    if any(status == "done" for status, _ in rows):
                        events[f"{label}_worker_killed"] = None  # it ran to the end between two looks
                        return
                    row = next((r for r in rows if r[0] == "running"), None)
                    victim = ours(worker_pid(row[1])) if row else None
                    if victim:
                        procs.kill(victim)
                        events[f"{label}_worker_killed"] = victim
                        events[f"{label}_worker_killed_at_s"] = round(time.monotonic() - day_started, 1)
                        log(f"killed {victim} mid-{label}")
                        spare = f"worker{sum(1 for n in procs.started if n.startswith('worker')) + 1}"
                        procs.start(spare, [*manage, "rq_worker"], env)
                        return
                    time.sleep(0.02)

        def while_killing(task: str, label: str, work: Any) -> Any:
            stop = threading.Event()
            watcher = threading.Thread(target=kill_mid, args=(task, label, stop), daemon=True)
            watcher.start()
            try:
                return work()
            finally:  # the task may start a while after the page answered: watch until it ran or was killed
                watcher.join(timeout=120)
                stop.set()

        def office_day() -> None:
            """After the kills: an admin publishes a flash update (the worker e-mailing and pushing it to the reps is
            killed mid-task); the manager exports (the worker building the zip is killed mid-task); the coach
            reviews the take."""
            second_act.wait(timeout=900)
            events["update"] = while_killing("update_mail_task", "mail", lambda: publish_update(lb_port, update_title))
            events["exports"] = while_killing(
                "data_export_build", "export", lambda: manager_exports(lb_port, endpoint, timeout=180)
            )
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and "take" not in events:
                time.sleep(1)
            take = events.get("take", {})
            while time.monotonic() < deadline and take.get("url"):  # the coach watches it once it plays
                if any(
                    t[0] == take["submission_id"] and t[1] == "ready" for t in day_state(args.database_url)["takes"]
                ):
                    break
                time.sleep(2)
            events["review"] = coach_review(lb_port, take["url"], feedback) if take.get("url") else {"error": "no take"}

        day_started = time.monotonic()
        helpers = [threading.Thread(target=target, daemon=True) for target in (author_day, rep_day, killer, office_day)]
        for thread in helpers:
            thread.start()
        stats, signed_in = load(lb_port, reps=args.learners or args.reps, duration=args.duration, ramp=args.ramp)
        elapsed = time.monotonic() - day_started
        for thread in helpers:
            thread.join(timeout=args.duration + 400)

        # --- afterwards: wait for the background work, then check ------------------------------------
        t1 = time.monotonic()
        while time.monotonic() - t1 < 300:
            now = state(env)
            unfinished = [r for r in now["runs"] if r["status"] not in ("done", "failed")]
            if agency._pending(env) == 0 and not unfinished and all(v["status"] == "ready" for v in now["videos"]):
                break
            time.sleep(2)
        settle = time.monotonic() - t1
        acked_file = work / "acked.json"
        acked_file.write_text(json.dumps(sorted(stats.acked)))
        check = subprocess.run(  # noqa: S603
            [sys.executable, "-c", agency.CHECK_CODE, str(acked_file), since],
            env=env, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        integrity = json.loads(check.stdout.strip().splitlines()[-1]) if check.returncode == 0 else check.stderr
        now = state(env)
        stored_keys = {o.key for o in bucket.objects.all()}
        videos = [{**v, "mp4_in_bucket": v["mp4"] in stored_keys} for v in now["videos"]]
        transcodes = [r for r in now["runs"] if "transcode" in r["task_path"]]
        import redis

        failed_jobs = len(redis.Redis(port=redis_port).zrange("rq:failed:default", 0, -1))

        # The rest of the day, checked on both app servers directly (whichever nginx would have picked).
        day = day_state(args.database_url)
        servers = {name: webs["web1"] if name == "web1b" else webs[name] for name in ("web1b", "web2")}
        take = events.get("take", {})
        review: dict[str, Any] = {
            **{k: v for k, v in events.get("review", {}).items()},
            "take_cuts": take.get("cuts"),
            "take_error": take.get("error"),
            "take_video": [t[1] for t in day["takes"]],
            "take_mp4_in_bucket": all(t[2] in stored_keys for t in day["takes"]),
            "submitted": sum(1 for r in day["reviews"] if r[0] == "submitted" and r[2] == feedback),
            "reviews": len(day["reviews"]),
        }
        if take.get("rep"):
            for name, port in servers.items():
                status, page = on_server(take["rep"], port).request("take page", "GET", take["url"])
                review[f"rep_sees_it_on_{name}"] = status == 200 and feedback in page.decode("utf-8", "replace")

        # Push: every subscribed phone gets the flash update once (wait for stragglers, then for duplicates).
        # The taker's phones also get the coach's review (a push of its own kind), counted apart.
        def of_update() -> list[Any]:
            return [d for d in receiver.deliveries if update_title in d.message.get("title", "")]

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len({d.path for d in of_update()}) < len(phones):
            time.sleep(0.5)
        time.sleep(5)
        per_phone = {path: 0 for path in receiver.browsers}
        for delivery in of_update():
            per_phone[delivery.path] += 1
        others = [d for d in receiver.deliveries if d not in of_update()]
        update_status, update_error = events.get("update", (None, "not published"))
        flash: dict[str, Any] = {
            "publish_status": update_status,
            "publish_error": update_error,
            "subscribe_statuses": events.get("subscribed"),
            "phones": len(phones),
            "deliveries": len(of_update()),
            "other_pushes": sorted({f"{d.path}: {d.message.get('tag')}" for d in others}),
            "other_pushes_count": len(others),
            "phones_once": sum(1 for n in per_phone.values() if n == 1),
            "phones_twice_or_more": sum(1 for n in per_phone.values() if n > 1),
            "receiver_errors": receiver.errors[:5],
            "push_languages": sorted({d.message.get("lang", "") for d in of_update()}),
            "mails": dict(day["mails"]),
        }
        mail_runs = [r for r in now["runs"] if "update_mail_task" in r["task_path"]]
        flash["mail_task_runs"] = [{k: r[k] for k in ("status", "attempts")} for r in mail_runs]
        home_readers = {email for email, _ in phones}
        for name, port in servers.items():
            seen = 0
            for email in sorted(home_readers):
                reader = person(port, email)
                status, page = reader.request("home", "GET", "/")
                seen += status == 200 and update_title in page.decode("utf-8", "replace")
            flash[f"home_shows_it_on_{name}"] = f"{seen}/{len(home_readers)}"
        exports = events.get("exports", {})
        export_runs = [r for r in now["runs"] if "data_export_build" in r["task_path"]]
        exports.update(
            {
                "exports": [(e[0], e[2]) for e in day["exports"]],
                "zips_in_bucket": sum(1 for k in stored_keys if k.startswith("private/exports/")),
                "task_runs": [{k: r[k] for k in ("status", "attempts")} for r in export_runs],
            }
        )
        result.update(
            {
                "duration_s": args.duration,
                "day_s": round(elapsed, 1),
                "settle_s": round(settle, 1),
                **agency._summary(stats, elapsed),
                "reps_signed_in": signed_in,
                "events": {k: v for k, v in events.items() if k not in ("take", "review", "exports", "update")},
                "integrity": integrity,
                "videos": videos,
                "transcode_runs": transcodes,
                "roleplay_review": review,
                "flash_update": flash,
                "manager_export": exports,
                "task_runs": {
                    s: sum(1 for r in now["runs"] if r["status"] == s) for s in ("done", "failed", "running", "waiting")
                },
                "rq_failed_jobs": failed_jobs,
                "schedule_ticks": now["ticks"],
                "nginx_upstream_errors": (work / "nginx-error.log").read_text().count("upstream"),
            }
        )
        checks = {
            "statements": isinstance(integrity, dict)
            and integrity.get("lost") == 0
            and integrity.get("duplicated") == 0
            and integrity.get("pending") == 0
            and integrity.get("learning_time_mismatches") == 0,
            "video": bool(videos) and all(v["status"] == "ready" and v["mp4_in_bucket"] for v in videos),
            "transcode_retried": "worker_killed" in events
            and any(r["attempts"] >= 2 and r["status"] == "done" for r in transcodes),
            "tasks": result["task_runs"]["failed"] == 0 and failed_jobs == 0,
            "signed_in": signed_in == (args.learners or args.reps),
            "review": review.get("status") == 302
            and review["submitted"] == 1
            and review["take_video"] == ["ready"]
            and review["take_mp4_in_bucket"]
            and all(review.get(f"rep_sees_it_on_{name}") for name in servers),
            "flash_update": update_status == 302
            and all(
                flash[f"home_shows_it_on_{name}"] == f"{len(home_readers)}/{len(home_readers)}" for name in servers
            ),
            "mail": flash["mails"].get("published") == args.reps + 1 and [r["status"] for r in mail_runs] == ["done"],
            "push": flash["phones_once"] == len(phones) and flash["deliveries"] == len(phones) and not receiver.errors,
            "export": exports.get("xlsx_status") == 200
            and exports.get("csv_status") == 200
            and exports.get("signed_url_to_bucket") is True
            and exports.get("zip_ok") is True
            and exports["exports"] == [("ready", exports["exports"][0][1])]
            and exports["zips_in_bucket"] == 1
            and [r["status"] for r in export_runs] == ["done"],
        }
        result["checks"] = checks
        result["passed"] = all(checks.values())
    finally:
        procs.stop_all()
        receiver.close()
    agency.RESULTS.mkdir(parents=True, exist_ok=True)
    out = agency.RESULTS / f"twoserver-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    log(f"{'PASSED' if result.get('passed') else 'FAILED'}; written to {out}; logs in {work}")
    return 0 if result.get("passed") else 1


if __name__ == "__main__":
    sys.exit(main())
