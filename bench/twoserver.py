"""Two app servers behind nginx, two task workers, two schedulers, on PostgreSQL, Redis and an S3 server; a scripted
day with one app server and one worker killed mid-run; then checks that nothing was lost or done twice.

    bench/twoserver.py [--reps 40] [--duration 90] [--database-url postgres://…/kizuna_twoserver]

Everything runs on 127.0.0.1: Debian's nginx (its own config and folders in a temporary directory), two gunicorn
servers, two `rq_worker`s, two `run_scheduler`s and one `run_projector`, Debian's redis-server, moto's S3 server.
The day: reps sign in through nginx and watch lessons (bench/agency.py's virtual reps, each statement retried
with the same id as the player does); the author uploads a video, which a worker transcodes into the bucket.
Mid-run the harness kills (SIGKILL, by pid: only processes it started) app server 1 (its gunicorn master and
workers) and the worker running the transcode. Afterwards it checks: every acknowledged statement stored once,
the projector caught up, learning time equal to the statements, the video ready in the bucket, every task message
done exactly once, no job's time run twice by the two schedulers. Writes bench/results/twoserver-<time>.json.
Not part of `make test` (`make bench-twoserver`; see bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import agency  # noqa: E402

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
        """SIGKILL a process we started and its group (gunicorn's workers die with their master)."""
        process = self.started[name]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
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


def make_video(folder: Path, seconds: int) -> bytes:
    path = folder / "take.mp4"
    subprocess.run(  # noqa: S603
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size=1280x720:rate=30:duration={seconds}",
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
    parser.add_argument("--database-url", default=os.environ.get("TWOSERVER_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()
    for binary in ("nginx", "redis-server", "ffmpeg"):
        if not shutil.which(binary) and not Path(f"/usr/sbin/{binary}").exists():
            raise SystemExit(f"{binary} is missing (apt-get install nginx-light redis-server ffmpeg)")

    work = Path(tempfile.mkdtemp(prefix="kizuna-twoserver-"))
    procs = Processes(work)
    result: dict[str, Any] = {"when": datetime.now().isoformat(timespec="seconds"), "reps": args.reps}
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
        agency._reset_pg(args.database_url)
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
        )
        t0 = time.monotonic()
        agency._manage(env, "migrate", "--noinput", "-v0")
        agency._manage(env, "collectstatic", "--noinput", "-v0")
        subprocess.run([sys.executable, "-c", agency.SETUP_CODE, str(args.reps)], env=env, cwd=ROOT, check=True)  # noqa: S603
        log(f"set up in {time.monotonic() - t0:.0f}s: PostgreSQL, Redis :{redis_port}, S3 :{s3_port}")

        # --- the fleet -------------------------------------------------------------------------------
        manage = [sys.executable, str(ROOT / "manage.py")]
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        webs = {}
        for name in ("web1", "web2"):
            port = agency._free_port()
            webs[name] = port
            procs.start(
                name,
                [gunicorn, "kizuna.wsgi", "--config", "python:kizuna.ops.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
                 "--workers", "2", "--timeout", "120", "--no-control-socket"],
                env,
            )  # fmt: skip
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
        events: dict[str, Any] = {}

        def author_day() -> None:
            time.sleep(args.ramp)
            events["upload"] = upload(lb_port, video, "twoserver take")

        def killer() -> None:
            time.sleep(args.ramp + args.duration * 0.35)
            procs.kill("web1")
            events["web1_killed_at_s"] = round(time.monotonic() - day_started, 1)
            log("killed app server 1 (gunicorn master and workers)")
            deadline = time.monotonic() + args.duration
            while time.monotonic() < deadline:  # the worker that is transcoding, mid-task
                now = state(env)
                running = [r for r in now["runs"] if r["status"] == "running" and "transcode" in r["task_path"]]
                pid = now["beats"].get(running[0]["worker_id"]) if running else None
                victim = next((n for n in ("worker1", "worker2") if procs.started[n].pid == pid), None)
                if victim:
                    time.sleep(1)
                    procs.kill(victim)
                    events["worker_killed"] = victim
                    events["worker_killed_at_s"] = round(time.monotonic() - day_started, 1)
                    log(f"killed {victim} mid-transcode")
                    return
                time.sleep(0.5)

        day_started = time.monotonic()
        helpers = [threading.Thread(target=author_day, daemon=True), threading.Thread(target=killer, daemon=True)]
        for thread in helpers:
            thread.start()
        stats, signed_in = load(lb_port, reps=args.reps, duration=args.duration, ramp=args.ramp)
        elapsed = time.monotonic() - day_started
        for thread in helpers:
            thread.join(timeout=args.duration + 120)

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
        result.update(
            {
                "duration_s": args.duration,
                "day_s": round(elapsed, 1),
                "settle_s": round(settle, 1),
                **agency._summary(stats, elapsed),
                "reps_signed_in": signed_in,
                "events": events,
                "integrity": integrity,
                "videos": videos,
                "transcode_runs": transcodes,
                "task_runs": {
                    s: sum(1 for r in now["runs"] if r["status"] == s) for s in ("done", "failed", "running", "waiting")
                },
                "rq_failed_jobs": failed_jobs,
                "schedule_ticks": now["ticks"],
                "nginx_upstream_errors": (work / "nginx-error.log").read_text().count("upstream"),
            }
        )
        ok = (
            isinstance(integrity, dict)
            and integrity.get("lost") == 0
            and integrity.get("duplicated") == 0
            and integrity.get("pending") == 0
            and integrity.get("learning_time_mismatches") == 0
            and videos
            and all(v["status"] == "ready" and v["mp4_in_bucket"] for v in videos)
            and "worker_killed" in events
            and any(r["attempts"] >= 2 and r["status"] == "done" for r in transcodes)
            and result["task_runs"]["failed"] == 0
            and failed_jobs == 0
            and signed_in == args.reps
        )
        result["passed"] = bool(ok)
    finally:
        procs.stop_all()
    agency.RESULTS.mkdir(parents=True, exist_ok=True)
    out = agency.RESULTS / f"twoserver-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    log(f"{'PASSED' if result.get('passed') else 'FAILED'}; written to {out}; logs in {work}")
    return 0 if result.get("passed") else 1


if __name__ == "__main__":
    sys.exit(main())
