"""Fault drills against a real `manage.py serve`: kill things mid-work and check that nothing is lost.

    .venv/bin/python bench/faults.py            # all drills, ~3-5 minutes; exits non-zero on any failure
    .venv/bin/python bench/faults.py --keep     # leave the temp folder (logs, database) for a look

Bounded and on 127.0.0.1 only; not part of `make test`. It makes its own temp folder (KIZUNA_VAR_DIR, a
SQLite database, MEDIA_ROOT on a size-limited tmpfs when `mount` works, i.e. as root), migrates it,
makes a small cast through the services (a partner `bench-p01` with 8 reps, bench/quiz.py's quiz lesson,
an author) and starts `manage.py serve` on a free port with fast worker clocks. Then, one after another:

1. **gunicorn worker -9 mid-quiz-submit** — 4 reps submit quizzes; one web worker is killed mid-load;
2. **task worker -9 mid-transcode** — a video uploaded over HTTP; the worker is killed while ffmpeg runs;
3. **supervisor -9 mid-load** — the whole `serve` is killed during the quiz load, then started again;
4. **full disk during a video upload** — MEDIA_ROOT is filled to the brim, then a video is uploaded;
5. **task worker -9 mid-GIFT-import** — a 20,000-question import killed while staging: the re-run publishes
   each question once into one bank, and no staging bank is left.

After each: the site answers within seconds (measured), every acknowledged submission or upload is in the
database, nothing is half-written (each submitted attempt has exactly its `completed` and outcome
statements; no partial files), and interrupted work completes or is cleanly marked failed. One line per
result: PASS, FAIL or SKIP (with why).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")
ANSWER_WITHIN_S = 5.0  # after a fault the rest of the site keeps running
RESTART_ANSWER_WITHIN_S = 60.0  # a cold start of everything on a small, shared machine
MEDIA_MB = 48
PASSWORD = "kizuna-faults"  # noqa: S105 (a throwaway database)


@dataclass
class Result:
    name: str
    ok: bool | None  # None: skipped
    detail: str

    def line(self) -> str:
        word = "SKIP" if self.ok is None else "PASS" if self.ok else "FAIL"
        return f"{word} {self.name}: {self.detail}"


@dataclass
class Context:
    tmp: Path
    env: dict[str, str]
    media: Path
    tmpfs: str  # "" if mounted, else why not
    port: int = 0
    serve: subprocess.Popen[bytes] | None = None
    serve_log: Path = Path()
    content: dict[str, Any] = field(default_factory=dict)
    sessions: list[str] = field(default_factory=list)
    author_session: str = ""
    clip: Path = Path()


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", file=sys.stderr, flush=True)


# --- Processes ------------------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, int] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return None if fields[0] == "Z" else (int(fields[1]), int(fields[2]))


def alive(pid: int) -> bool:
    return _stat(pid) is not None


def descendants(pid: int) -> set[int]:
    table = {int(p.name): st for p in Path("/proc").iterdir() if p.name.isdigit() and (st := _stat(int(p.name)))}
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _pgid) in table.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def pids_with(fragment: str) -> set[int]:
    found = set()
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            with contextlib.suppress(OSError):
                if fragment in (p / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.add(int(p.name))
    return {pid for pid in found if alive(pid)}


def children_of_serve(ctx: Context) -> dict[str, int]:
    """The latest pid of each child, from the supervisor's log."""
    text = ctx.serve_log.read_text(errors="replace") if ctx.serve_log.exists() else ""
    return {name: int(pid) for name, pid in re.findall(r"started (\w+) pid=(\d+)", text)}


def wait_for(check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    return None


def start_serve(ctx: Context) -> None:
    ctx.serve_log = ctx.tmp / "serve.log"
    out = ctx.serve_log.open("ab")
    ctx.serve = subprocess.Popen(  # noqa: S603
        [PYTHON, MANAGE, "serve", "--port", str(ctx.port), "--workers", "3"],
        env=ctx.env,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_serve(ctx: Context) -> None:
    if ctx.serve is None:
        return
    family = descendants(ctx.serve.pid)
    if ctx.serve.poll() is None:
        ctx.serve.send_signal(signal.SIGTERM)
        try:
            ctx.serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            ctx.serve.kill()
            ctx.serve.wait()
    for pid in family:  # never needed when serve works; a failed drill must not leave a server behind
        if alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    ctx.serve = None


# --- HTTP -----------------------------------------------------------------------------------------------


def status_of(ctx: Context, path: str = "/accounts/login/") -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", ctx.port, timeout=5)
    try:
        conn.request("GET", path, headers={"Accept-Language": "ja"})
        return conn.getresponse().status
    except (OSError, http.client.HTTPException):
        return -1
    finally:
        conn.close()


def seconds_to_answer(ctx: Context, since: float, timeout: float) -> float | None:
    """Seconds from `since` (a monotonic time) until the login page answers 200, or None."""
    if wait_for(lambda: status_of(ctx) == 200, timeout) is None:
        return None
    return time.monotonic() - since


def upload_video(ctx: Context, data: bytes, title: str) -> tuple[int, str, str]:
    """POST a video as the author like the studio's form does: (status, Location, body)."""
    from quiz import Browser

    browser = Browser(ctx.port, ctx.author_session)
    status, _l, page = browser.request("GET", "/studio/videos/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        return status, "", page.decode("utf-8", "replace")
    boundary = uuid.uuid4().hex
    parts = [
        (f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n').encode()
        + token.group(1)
        + b"\r\n",
        (f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n').encode(),
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="IMG_0001.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n"
        ).encode()
        + data
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    body = b"".join(parts)
    headers = {
        "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items()),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Accept-Language": "ja",
        "Referer": f"http://127.0.0.1:{ctx.port}/studio/videos/",
    }
    conn = browser.conn
    try:
        conn.request("POST", "/studio/videos/", body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode("utf-8", "replace")
    except OSError as error:
        return -1, "", str(error)
    finally:
        conn.close()


# --- Set-up ---------------------------------------------------------------------------------------------


def mount_media(media: Path) -> str:
    """Mount a MEDIA_MB tmpfs on `media`; return "" or why it could not."""
    media.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return "not root, so no tmpfs: the full-disk drill is skipped"
    done = subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", f"size={MEDIA_MB}m", "tmpfs", str(media)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if done.returncode == 0 else f"mount failed: {done.stderr.strip()}"


def setup(ctx: Context) -> None:
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        t0 = time.monotonic()
        subprocess.run([PYTHON, MANAGE, *command], env=ctx.env, cwd=ROOT, check=True)  # noqa: S603
        log(f"{command[0]} took {time.monotonic() - t0:.0f} s")
    os.environ.update(ctx.env)
    import django

    django.setup()
    from load import make_session
    from quiz import ensure_content

    from kizuna.accounts.models import User
    from kizuna.orgs.models import Membership, Organization

    principal = Organization.objects.create(name="絆ソフト株式会社", slug="principal", kind="principal")
    partner = Organization.objects.create(name="ベンチパートナー株式会社", slug="bench-p01", kind="partner")
    people = {}
    for email, name, org, role in [
        ("admin@faults.example", "管理 花子", principal, "admin"),
        ("author@faults.example", "作成 太郎", principal, "author"),
        *[(f"rep{i}@faults.example", f"営業 {i}", partner, "rep") for i in range(8)],
    ]:
        user = User.objects.create_user(email, PASSWORD, name=name)
        Membership.objects.create(user=user, organization=org, role=role)
        people[email] = user
    ctx.content = ensure_content()
    ctx.sessions = [make_session(people[f"rep{i}@faults.example"]) for i in range(8)]
    ctx.author_session = make_session(people["author@faults.example"])
    ctx.clip = ctx.tmp / "clip.mp4"
    subprocess.run(  # noqa: S603
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=1280x720:rate=30",  # noqa: S607
         "-f", "lavfi", "-i", "sine=frequency=440", "-t", "40", "-c:v", "libx264", "-preset", "ultrafast",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(ctx.clip)],
        check=True,
        timeout=300,
    )  # fmt: skip
    log(f"cast, quiz and a {ctx.clip.stat().st_size // 1024} KB clip ready")


# --- Checks ---------------------------------------------------------------------------------------------


def quiz_marks() -> tuple[int, int]:
    from kizuna.assessments.models import Attempt
    from kizuna.records.models import Statement

    since_seq = Statement.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    since_attempt = Attempt.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return since_seq, since_attempt


def submitted_since(marks: tuple[int, int]) -> int:
    from django.db import close_old_connections

    from kizuna.assessments.models import Attempt

    close_old_connections()
    return Attempt.objects.filter(pk__gt=marks[1], submitted_at__isnull=False).count()


def quiz_load_in_background(ctx: Context, seconds: float) -> tuple[threading.Thread, dict[str, Any]]:
    from quiz import submission_load

    out: dict[str, Any] = {}

    def run() -> None:
        out.update(
            submission_load(ctx.port, ctx.content["lesson"].pk, ctx.sessions, concurrency=4, duration=seconds, seed=7)
        )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def check_submissions(ctx: Context, marks: tuple[int, int], run: dict[str, Any]) -> tuple[bool, str]:
    """Acknowledged submissions (302) are all recorded; each submitted attempt has its two statements."""
    from django.db import close_old_connections
    from quiz import verify_submissions

    close_old_connections()
    verify = verify_submissions(ctx.content, *marks)
    acknowledged = run.get("attempts", 0)
    ok = verify["ok"] and verify["attempts_submitted"] >= acknowledged and acknowledged > 0
    detail = (
        f"{acknowledged} acknowledged submits, {verify['attempts_submitted']} recorded, "
        f"{verify['completed_statements']} completed + {verify['outcome_statements']} outcome statements"
        f"{'' if verify['ok'] else ' (MISMATCH: half-written)'}; client errors {dict(run.get('errors', {})) or 'none'}"
    )
    return ok, detail


def media_leftovers(ctx: Context) -> list[str]:
    work = ctx.tmp / "work"
    return sorted(p.name for p in [*ctx.media.rglob("*.part"), *(work.rglob("*") if work.exists() else [])])


# --- Drills ---------------------------------------------------------------------------------------------


def drill_gunicorn_worker_killed_mid_submit(ctx: Context) -> Result:
    name = "gunicorn worker -9 mid-quiz-submit"
    marks = quiz_marks()
    thread, run = quiz_load_in_background(ctx, 8)
    time.sleep(3)
    web = children_of_serve(ctx)["web"]
    workers = sorted(descendants(web))
    if not workers:
        return Result(name, False, "no gunicorn worker found")
    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    t0 = time.monotonic()
    answered = seconds_to_answer(ctx, t0, ANSWER_WITHIN_S)
    thread.join(timeout=60)
    replaced = wait_for(lambda: len(descendants(web)) == len(workers) and victim not in descendants(web), 10)
    ok, detail = check_submissions(ctx, marks, run)
    ok = ok and answered is not None and bool(replaced)
    when = f"{answered:.2f} s" if answered is not None else f"NOT within {ANSWER_WITHIN_S:.0f} s"
    return Result(
        name, ok, f"killed pid {victim}; site answered in {when}; worker replaced: {bool(replaced)}; {detail}"
    )


def drill_task_worker_killed_mid_transcode(ctx: Context) -> Result:
    from django.db import close_old_connections

    from kizuna.media.models import Video

    name = "task worker -9 mid-transcode"
    status, location, _body = upload_video(ctx, ctx.clip.read_bytes(), "途中で止まる動画")
    close_old_connections()
    video = Video.objects.order_by("-pk").first()
    if status != 302 or video is None:
        return Result(name, False, f"upload not acknowledged (HTTP {status})")
    folder = ctx.media / "videos" / str(video.key)
    work = ctx.tmp / "work"  # ffmpeg writes in a scratch folder there; finished files are moved into `folder`
    parts = wait_for(lambda: list(work.glob("transcode-*/*.part")), 60)
    ffmpeg = wait_for(lambda: pids_with(str(work)), 10) if parts else None
    if not ffmpeg:
        return Result(name, False, "the transcode never started")
    worker = children_of_serve(ctx)["worker"]
    os.kill(worker, signal.SIGKILL)
    t0 = time.monotonic()
    answered = seconds_to_answer(ctx, t0, ANSWER_WITHIN_S)
    ffmpeg_gone = wait_for(lambda: not any(map(alive, ffmpeg)), 5)
    restarted = wait_for(lambda: children_of_serve(ctx)["worker"] != worker, 15)

    def finished() -> bool:
        close_old_connections()
        return Video.objects.get(pk=video.pk).status != Video.Status.PROCESSING

    wait_for(finished, 180)
    video.refresh_from_db()
    files = sorted(p.name for p in folder.iterdir())
    took = time.monotonic() - t0
    ok = (
        answered is not None
        and bool(ffmpeg_gone)
        and bool(restarted)
        and video.status == Video.Status.READY
        and files == ["original", "poster.jpg", "video.mp4"]
        and not pids_with(str(work))
        and not list(work.glob("transcode-*"))
        and Video.objects.filter(title="途中で止まる動画").count() == 1
    )
    when = f"{answered:.2f} s" if answered is not None else f"NOT within {ANSWER_WITHIN_S:.0f} s"
    return Result(
        name,
        ok,
        f"killed worker {worker} with ffmpeg {sorted(ffmpeg)} running; ffmpeg gone: {bool(ffmpeg_gone)}; "
        f"worker restarted: {bool(restarted)}; site answered in {when}; video {video.status} "
        f"{took:.0f} s after the kill ({video.failure or 'no failure'}); files {files}",
    )


def drill_supervisor_killed_mid_load(ctx: Context) -> Result:
    name = "supervisor -9 mid-load, then started again"
    assert ctx.serve is not None
    marks = quiz_marks()
    thread, run = quiz_load_in_background(ctx, 14)
    # Killed once a couple of submissions went through, so there is something acknowledged to look for.
    wait_for(lambda: submitted_since(marks) >= 2, 12)
    family = descendants(ctx.serve.pid)
    os.kill(ctx.serve.pid, signal.SIGKILL)
    ctx.serve.wait()
    all_gone = wait_for(lambda: not any(map(alive, family)), 10)
    thread.join(timeout=60)
    left = sorted(pid for pid in family if alive(pid))
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    ctx.serve = None
    t0 = time.monotonic()
    start_serve(ctx)
    answered = seconds_to_answer(ctx, t0, RESTART_ANSWER_WITHIN_S)
    ok, detail = check_submissions(ctx, marks, run)
    ok = ok and bool(all_gone) and answered is not None
    when = f"{answered:.1f} s" if answered is not None else f"NOT within {RESTART_ANSWER_WITHIN_S:.0f} s"
    return Result(
        name,
        ok,
        f"{len(family)} processes below serve, all gone after its death: {bool(all_gone)}{f' (left {left})' if left else ''}; "
        f"restarted serve answered in {when}; {detail}",
    )


def drill_full_disk_during_upload(ctx: Context) -> Result:
    from django.db import close_old_connections

    from kizuna.media.models import Video

    name = "full disk during a video upload"
    if ctx.tmpfs:
        return Result(name, None, ctx.tmpfs)
    close_old_connections()
    before = Video.objects.count()
    folders_before = {p.name for p in (ctx.media / "videos").iterdir()}
    filler = ctx.media / "filler"
    with filler.open("wb") as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * (1024 * 1024))
    with contextlib.suppress(OSError):  # leave less than the clip
        size = filler.stat().st_size
        os.truncate(filler, max(0, size - 512 * 1024))
    t0 = time.monotonic()
    status, _location, body = upload_video(ctx, ctx.clip.read_bytes(), "満杯のディスク")
    took = time.monotonic() - t0
    close_old_connections()
    refused = status == 200 and "サーバーに動画を保存する空きがありません" in body
    nothing_left = (
        Video.objects.count() == before and {p.name for p in (ctx.media / "videos").iterdir()} == folders_before
    )
    answered = seconds_to_answer(ctx, time.monotonic(), ANSWER_WITHIN_S)
    filler.unlink()
    status2, _l, _b = upload_video(ctx, ctx.clip.read_bytes(), "空きが戻った後")
    ok = refused and nothing_left and answered is not None and status2 == 302
    return Result(
        name,
        ok,
        f"upload answered HTTP {status} in {took:.1f} s with the no-room message: {refused}; no row or file left: "
        f"{nothing_left}; site answered in {answered if answered is None else round(answered, 2)} s; "
        f"same upload after freeing space: HTTP {status2}",
    )


def drill_worker_killed_mid_import(ctx: Context) -> Result:
    """Kill the task worker while a GIFT import stages its questions; the re-run publishes each question once."""
    from django.db import close_old_connections

    from kizuna.accounts.models import User
    from kizuna.assessments import gift_imports
    from kizuna.assessments.models import GiftImport, Question, QuestionBank
    from kizuna.assessments.tasks import gift_import_task

    name = "task worker -9 mid-GIFT-import"
    count = 20_000
    source = "\n\n".join(
        f"::Q{i}:: 提案の前に確認することは？（{i}） {{=お客様の課題 ~価格 ~競合の名前}}" for i in range(1, count + 1)
    )
    author = User.objects.get(email="author@faults.example")
    job = gift_imports.gift_import_start(source=source, slug="faults-import", author=author)
    gift_import_task.enqueue(job.pk)

    def staging() -> bool:
        close_old_connections()
        current = GiftImport.objects.get(pk=job.pk)
        return current.state == GiftImport.State.STAGING and current.staged > 0

    if not wait_for(staging, 120):
        return Result(
            name, False, f"the import never started staging (state {GiftImport.objects.get(pk=job.pk).state})"
        )
    worker = children_of_serve(ctx)["worker"]
    os.kill(worker, signal.SIGKILL)
    t0 = time.monotonic()
    answered = seconds_to_answer(ctx, t0, ANSWER_WITHIN_S)
    staged_at_kill = GiftImport.objects.get(pk=job.pk).staged

    def over() -> bool:
        close_old_connections()
        return GiftImport.objects.get(pk=job.pk).state in (GiftImport.State.DONE, GiftImport.State.FAILED)

    wait_for(over, 300)
    job.refresh_from_db()
    banks = QuestionBank.objects.filter(slug="faults-import")
    questions = Question.objects.filter(bank__in=banks).count()
    staging_left = QuestionBank.objects.filter(staging=True).count()
    ok = (
        answered is not None
        and job.state == GiftImport.State.DONE
        and banks.count() == 1
        and questions == count
        and staging_left == 0
    )
    when = f"{answered:.2f} s" if answered is not None else f"NOT within {ANSWER_WITHIN_S:.0f} s"
    return Result(
        name,
        ok,
        f"killed worker {worker} with {staged_at_kill} of {count} questions staged; site answered in {when}; "
        f"import {job.state} {time.monotonic() - t0:.0f} s after the kill; {banks.count()} bank with {questions} "
        f"questions; staging banks left: {staging_left}",
    )


DRILLS = [
    drill_gunicorn_worker_killed_mid_submit,
    drill_task_worker_killed_mid_transcode,
    drill_supervisor_killed_mid_load,
    drill_full_disk_during_upload,
    drill_worker_killed_mid_import,
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs, database)")
    args = parser.parse_args()

    from load import free_port

    tmp = Path(tempfile.mkdtemp(prefix="kizuna-faults-"))
    media = tmp / "media"
    tmpfs = mount_media(media)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "TASKS_BACKEND"}}
    env.update(
        KIZUNA_VAR_DIR=str(tmp / "var"),
        MEDIA_ROOT=str(media),
        MEDIA_WORK_DIR=str(tmp / "work"),  # ffmpeg's scratch files (kizuna.ops.storage.work_folder)
        SECRET_KEY="kizuna-faults-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        DEBUG="false",
        DJANGO_SETTINGS_MODULE="kizuna.settings",
        PYTHONUNBUFFERED="1",
        TASKS_HEARTBEAT_SECONDS="1",
        TASKS_STALE_SECONDS="4",
        TASKS_RETRY_DELAY_SECONDS="2",
        SERVE_STOP_GRACE_SECONDS="8",
        VIDEO_MAX_UPLOAD_MB="64",
    )
    ctx = Context(tmp=tmp, env=env, media=media, tmpfs=tmpfs)
    log(f"temp folder {tmp}; media on {'a ' + str(MEDIA_MB) + ' MB tmpfs' if not tmpfs else 'disk (' + tmpfs + ')'}")
    results: list[Result] = []
    try:
        setup(ctx)
        ctx.port = free_port(0)
        t0 = time.monotonic()
        start_serve(ctx)
        first = seconds_to_answer(ctx, t0, RESTART_ANSWER_WITHIN_S)
        if first is None:
            results.append(Result("serve starts", False, f"no answer within {RESTART_ANSWER_WITHIN_S:.0f} s"))
        else:
            log(f"serve answers on 127.0.0.1:{ctx.port} after {first:.1f} s")
            for drill in DRILLS:
                log(f"drill: {drill.__name__}")
                try:
                    result = drill(ctx)
                except Exception as error:  # noqa: BLE001 (a drill that crashes is a failed drill)
                    result = Result(drill.__name__, False, f"crashed: {type(error).__name__}: {error}")
                print(result.line(), flush=True)
                results.append(result)
                if ctx.serve is None or ctx.serve.poll() is not None:
                    results.append(Result("serve still running", False, "serve is gone; the later drills cannot run"))
                    break
    finally:
        stop_serve(ctx)
        if not tmpfs:
            subprocess.run(["umount", str(media)], check=False)  # noqa: S603, S607
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    failed = [r for r in results if r.ok is False]
    print(f"{'FAIL' if failed else 'PASS'} faults: {len(results) - len(failed)} of {len(results)} passed or skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
