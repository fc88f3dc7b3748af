"""Roleplay practice on the bench data (make bench-coaching): uploads, transcoding, and the review page.

(a) **upload** — a 100 MB phone-like video (720p, made once with ffmpeg) is uploaded by a rep of partner bench-p01
    in 4 MB chunks (the browser's chunk size) to gunicorn on 127.0.0.1, with the same offset-checked PUTs the page's
    recorder.js sends; halfway the client "drops" (a chunk is cut off), asks the server for its offset, and resumes.
    Reported: MB/s of the chunk PUTs, the time to finish (content check with ffprobe and storing), the resume.
(b) **transcode** — the media pipeline's own ``video_transcode`` on that 3-minute 720p video, in-process, timed
    against the video's length (×realtime; > 1 means faster than playing it).
(c) **review page** — a take with 50 time-coded comments (and replies), two reviews and a pending one; the coach's
    review page through gunicorn (median/p95 over N requests) and its SQL query count in-process.

Everything the run adds is deleted at the end (``--keep`` leaves it; ``--cleanup`` only deletes): the bench
roleplay ``[bench] roleplay`` with its takes, comments, reviews, statements and notifications, and the media files,
which live in a folder of their own (var/bench/coaching-media). The run applies the coaching and notifications
migrations if the bench database lacks them. The machine is shared: figures are noisy.

    .venv/bin/python bench/coaching.py                 # all three (make bench-coaching)
    .venv/bin/python bench/coaching.py --only upload,review --size-mb 100
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from load import (  # noqa: E402
    TARGET_PARTNER_SLUG,
    Server,
    default_database_url,
    django_env,
    free_port,
    log,
    make_session,
    percentile,
    setup_django,
)

TITLE = "[bench] roleplay"
ASSETS = ROOT / "var" / "bench" / "assets"
MEDIA = ROOT / "var" / "bench" / "coaching-media"
RESULTS = BENCH / "results" / "coaching-latest.json"
CHUNK = 4 * 1024 * 1024
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # an unmasked 32-character CSRF secret, sent as cookie and header


def phone_video(size_mb: int, seconds: int = 180) -> Path:
    """A 3-minute 720p video of about `size_mb` MB (H.264 at the bitrate that gives that size), made once."""
    path = ASSETS / f"roleplay-720p-{seconds}s-{size_mb}mb.mp4"
    if path.exists():
        return path
    ASSETS.mkdir(parents=True, exist_ok=True)
    video_kbps = int(size_mb * 8 * 1024 * 0.98 / seconds) - 128
    log(f"making a {seconds} s 720p test video at {video_kbps} kb/s (once) …")
    part = path.with_suffix(".part.mp4")
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", f"{video_kbps}k", "-maxrate", f"{video_kbps}k",
            "-bufsize", f"{video_kbps * 2}k", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-shortest", str(part),
        ],
        check=True,
    )  # fmt: skip
    part.replace(path)
    return path


def ensure_tables() -> None:
    from django.core.management import call_command
    from django.db import connection

    tables = set(connection.introspection.table_names())
    for app, table in (("notifications", "notifications_notification"), ("coaching", "coaching_submission")):
        if table not in tables:
            log(f"applying the {app} migrations to the bench database …")
            call_command("migrate", app, verbosity=0, skip_checks=True)


def bench_people() -> tuple[Any, Any, Any]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.select_related("membership__organization", "membership__team")
    reps = list(
        users.filter(membership__organization__slug=TARGET_PARTNER_SLUG, membership__role="rep").order_by("pk")[:2]
    )
    coach = users.filter(membership__role="coach").order_by("pk").first()
    if len(reps) < 2 or coach is None:
        sys.exit("The bench data set is missing: run `make bench-data` first.")
    return reps[0], reps[1], coach


def ensure_roleplay(coach: Any) -> Any:
    from kizuna.coaching import services
    from kizuna.coaching.models import Roleplay
    from kizuna.orgs.models import Organization

    roleplay = Roleplay.objects.filter(title=TITLE).first()
    if roleplay is not None:
        return roleplay
    roleplay = services.roleplay_create(
        author=coach,
        title=TITLE,
        situation="ベンチマーク用の場面設定です。",
        persona="ベンチマーク用のお客様です。",
        goal="ベンチマーク用のゴールです。",
        criteria=[
            services.CriterionInput(title="ヒアリング", weight=3, levels=["弱い", "普通", "強い"]),
            services.CriterionInput(title="提案", weight=2, levels=["弱い", "普通", "強い"]),
            services.CriterionInput(title="次の約束", weight=1, levels=["なし", "あり"]),
        ],
        peer_count=1,
        review_by_manager=True,
    )
    services.roleplay_publish(roleplay=roleplay)
    partner = Organization.objects.get(slug=TARGET_PARTNER_SLUG)
    services.roleplay_target_add(roleplay=roleplay, assigned_by=coach, partner=partner)
    return roleplay


def cleanup() -> None:
    from kizuna.coaching.models import Roleplay, Submission
    from kizuna.coaching.services import submission_iri
    from kizuna.media.models import Video
    from kizuna.notifications.models import Notification
    from kizuna.records.models import Statement

    roleplay = Roleplay.objects.filter(title=TITLE).first()
    if roleplay is not None:
        takes = list(Submission.objects.filter(roleplay=roleplay))
        iris = [submission_iri(t) for t in takes]
        Statement.objects.filter(object_iri__in=iris).delete()
        Statement.objects.filter(object_iri__endswith=str(roleplay.key)).delete()
        Notification.objects.filter(kind__startswith="coaching.", params__roleplay=TITLE).delete()
        roleplay.delete()
    # The takes' videos: the only videos bench reps ever upload. A raw delete, because Django's cascade would
    # visit other apps' tables that the bench database may not have.
    videos = Video.objects.filter(uploaded_by__membership__role="rep")
    videos.model.objects.filter(pk__in=list(videos.values_list("pk", flat=True)))._raw_delete(videos.db)
    shutil.rmtree(MEDIA, ignore_errors=True)
    log("cleaned up the bench roleplay, its takes, statements, notifications and media files")


# --- (a) upload ---------------------------------------------------------------------------------------------------


def _request(
    conn: http.client.HTTPConnection, method: str, path: str, cookie: str, body: Any = None, headers: dict | None = None
) -> tuple[int, dict]:
    all_headers = {
        "Cookie": f"sessionid={cookie}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        "Host": "127.0.0.1",
        "Referer": "http://127.0.0.1/",
    }
    all_headers.update(headers or {})
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    try:
        return response.status, json.loads(data or b"{}")
    except ValueError:
        return response.status, {"raw": data[:300].decode("utf-8", "replace")}


def bench_upload(port: int, rep: Any, roleplay: Any, video: Path) -> dict[str, Any]:
    size = video.stat().st_size
    cookie = make_session(rep)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    form = urlencode({"size": size, "statement_id": str(uuid.uuid4())})
    status, state = _request(
        conn,
        "POST",
        f"/roleplay/{roleplay.pk}/uploads",
        cookie,
        form,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 201, (status, state)
    offset, dropped, resumed_from = 0, False, None
    started = time.perf_counter()
    with video.open("rb") as handle:
        while offset < size:
            handle.seek(offset)
            chunk = handle.read(CHUNK)
            if not dropped and offset >= size // 2:
                # The phone loses its connection midway through a chunk: send half of it and hang up.
                dropped = True
                raw = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                raw.putrequest("PUT", state["url"])
                for key, value in {
                    "Cookie": f"sessionid={cookie}; csrftoken={CSRF}",
                    "X-CSRFToken": CSRF,
                    "Upload-Offset": str(offset),
                    "Content-Length": str(len(chunk)),
                    "Content-Type": "application/octet-stream",
                }.items():
                    raw.putheader(key, value)
                raw.endheaders()
                raw.send(chunk[: len(chunk) // 2])
                raw.close()
                time.sleep(0.2)
                status, now = _request(conn, "GET", state["url"], cookie)
                resumed_from = now["offset"]
                assert resumed_from == offset, (resumed_from, offset)
                continue
            status, now = _request(
                conn,
                "PUT",
                state["url"],
                cookie,
                chunk,
                {"Upload-Offset": str(offset), "Content-Type": "application/octet-stream"},
            )
            assert status in (200, 409), (status, now)
            offset = now["offset"]
    upload_seconds = time.perf_counter() - started
    started = time.perf_counter()
    status, done = _request(
        conn, "POST", state["finish_url"], cookie, "", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    finish_seconds = time.perf_counter() - started
    assert status == 200, (status, done)
    conn.close()
    mb = size / 1024 / 1024
    result = {
        "size_mb": round(mb, 1),
        "chunk_mb": CHUNK // 1024 // 1024,
        "chunks": -(-size // CHUNK),
        "upload_seconds": round(upload_seconds, 2),
        "throughput_mb_s": round(mb / upload_seconds, 1),
        "dropped_and_resumed_at_mb": round((resumed_from or 0) / 1024 / 1024, 1),
        "finish_seconds": round(finish_seconds, 2),
        "take_url": done["url"],
    }
    log(f"upload: {result}")
    return result


# --- (b) transcode ------------------------------------------------------------------------------------------------


def bench_transcode(take_id: int) -> dict[str, Any]:
    from kizuna.coaching.models import Submission
    from kizuna.media.services import video_transcode

    take = Submission.objects.select_related("video").get(pk=take_id)
    started = time.perf_counter()
    video = video_transcode(video=take.video)
    seconds = time.perf_counter() - started
    assert video.is_ready, video.error
    result = {
        "video_seconds": round(video.duration_seconds or 0, 1),
        "input": f"{take.video.width}x{take.video.height}",
        "transcode_seconds": round(seconds, 1),
        "speed_x_realtime": round((video.duration_seconds or 0) / seconds, 2),
    }
    log(f"transcode: {result}")
    return result


# --- (c) review page ----------------------------------------------------------------------------------------------


def ensure_review_take(rep: Any, peer: Any, coach: Any, roleplay: Any, video_id: int) -> Any:
    from kizuna.coaching import services
    from kizuna.coaching.models import Review, Submission
    from kizuna.media.models import Video

    take = Submission.objects.filter(roleplay=roleplay, rep=peer).first()
    if take is None:
        take = Submission.objects.create(
            roleplay=roleplay,
            rep=peer,
            partner_id=peer.membership.organization_id,
            take=1,
            video=Video.objects.get(pk=video_id),
            statement_id=uuid.uuid4(),
            submitted_at=roleplay.created_at,
        )
        services.reviews_request(submission=take)
    if take.comments.count() < 50:
        for n in range(50):
            comment = services.comment_add(
                submission=take,
                author=coach,
                body=f"{n // 60}:{n % 60:02d} の切り返しについてのコメントです。" * 2,
                at_second=n * 3,
            )
            if n % 5 == 0:
                services.comment_add(
                    submission=take, author=peer, body="ありがとうございます。意識します。", parent=comment
                )
        for review in take.reviews.filter(status=Review.Status.REQUESTED).exclude(reviewer=coach)[:1]:
            ids = list(roleplay.criteria.values_list("pk", flat=True))
            services.review_submit(
                review=review, levels={i: 2 for i in ids}, reasons={i: "理由" for i in ids}, feedback="総評"
            )
    return take


def bench_review_page(port: int, coach: Any, take: Any, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    path = f"/roleplay/takes/{take.pk}/"
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coach)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    cookie = make_session(coach)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    timings = []
    for n in range(requests + 3):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
        response_ = conn.getresponse()
        body = response_.read()
        assert response_.status == 200, response_.status
        if n >= 3:  # warm-up
            timings.append((time.perf_counter() - started) * 1000)
    conn.close()
    timings.sort()
    result = {
        "comments": take.comments.filter(parent=None).count(),
        "replies": take.comments.exclude(parent=None).count(),
        "requests": requests,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "queries": len(queries),
        "html_kb": round(len(body) / 1024, 1),
    }
    log(f"review page: {result}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", default="upload,transcode,review")
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="leave the bench roleplay and its takes in place")
    parser.add_argument("--cleanup", action="store_true", help="only delete what earlier runs added")
    args = parser.parse_args()
    only = set(args.only.split(","))

    MEDIA.mkdir(parents=True, exist_ok=True)
    os.environ["MEDIA_ROOT"] = str(MEDIA)
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # transcoding is timed in (b)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    database_url = args.database_url or default_database_url()
    setup_django(database_url)
    ensure_tables()
    if args.cleanup:
        cleanup()
        return
    rep, peer, coach = bench_people()
    roleplay = ensure_roleplay(coach)
    video = phone_video(args.size_mb)
    results: dict[str, Any] = {"note": "shared 2-core machine; other engineers' runs make these figures noisy"}
    # DEBUG off serves static files through the manifest, which collectstatic writes (as bench/load.py does).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=django_env(database_url),
        check=True,
    )
    port = free_port(8771)
    server = Server(
        database_url=database_url, port=port, workers=2, log_path=BENCH / "results" / "coaching-gunicorn.log"
    )
    try:
        server.wait_ready()
        take_id = None
        if only & {"upload", "transcode", "review"}:
            results["upload"] = bench_upload(port, rep, roleplay, video)
            take_id = int(results["upload"]["take_url"].rstrip("/").rsplit("/", 1)[-1])
        if "transcode" in only and take_id:
            results["transcode"] = bench_transcode(take_id)
        if "review" in only and take_id:
            from kizuna.coaching.models import Submission

            take = ensure_review_take(rep, peer, coach, roleplay, Submission.objects.get(pk=take_id).video_id)
            if "transcode" not in only:
                bench_transcode(take_id)
            results["review_page"] = bench_review_page(port, coach, take, args.requests)
    finally:
        server.stop()
        if not args.keep:
            cleanup()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
