"""Lighthouse in mobile mode on the rep's pages: issue 19's quality bars, with the scores written to JSON.

The pages: the rep home, a lesson, a quiz lesson, today's review, a scenario play, the community list and the
rankings, as the demo rep of partner A (rep1@partner-a.example) sees them, served by gunicorn with DEBUG off
(the static files through the manifest, as in production). The bars: performance >= 95, accessibility 100,
best practices >= 95, the PWA checks passing (installable manifest, service worker), and the transfer before
media under 100 KB.

    make lighthouse                      # installs Lighthouse from the npm registry into var/lighthouse once
    .venv/bin/python bench/lighthouse.py [--database-url URL] [--only home,lesson] [--strict]

Without --database-url a demo database is made once in var/lighthouse.sqlite3 (migrate, demo_seed --no-video).
Lighthouse drives Debian's Chromium (/usr/bin/chromium) with its own simulated slow 4G and mid-range phone.
Writes bench/results/lighthouse-<time>.json and bench/results/lighthouse-latest.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ROOT, Server, django_env, free_port, make_session, setup_django  # noqa: E402

LIGHTHOUSE = ROOT / "var" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
RESULTS = ROOT / "bench" / "results"
DEMO_DB = ROOT / "var" / "lighthouse.sqlite3"
REP_EMAIL = "rep1@partner-a.example"
CATEGORIES = ("performance", "accessibility", "best-practices", "pwa")
BARS = {"performance": 95, "accessibility": 100, "best-practices": 95}
PWA_AUDITS = ("installable-manifest", "service-worker", "themed-omnibox", "maskable-icon", "viewport")
TRANSFER_BUDGET = 100 * 1024
MEDIA_TYPES = ("Media", "Image", "Font")


def demo_database() -> str:
    url = f"sqlite:///{DEMO_DB}"
    if not DEMO_DB.exists():
        env = django_env(url)
        for args in (["migrate", "--noinput", "-v0"], ["demo_seed", "--no-video"]):
            subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)
    return url


def rep_pages() -> tuple[Any, dict[str, str]]:
    """The demo rep and the path of each page measured (the first lesson of each kind the rep may open)."""
    from django.urls import reverse

    from kizuna.accounts.models import User
    from kizuna.catalog.models import PublishedLesson
    from kizuna.catalog.selectors import visible_course_ids

    rep = User.objects.get(email=REP_EMAIL)
    lessons = PublishedLesson.objects.filter(version__course_id__in=visible_course_ids(rep)).order_by("pk")

    def first(kind: str) -> str:
        lesson = lessons.filter(kind=kind).first()
        if lesson is None:
            sys.exit(f"The demo data has no {kind} lesson for {REP_EMAIL}.")
        return reverse("learning:lesson", args=[lesson.pk])

    return rep, {
        "home": reverse("learning:home"),
        "lesson": first("article"),
        "quiz": first("quiz"),
        "review": reverse("assessments:review"),
        "scenario": first("scenario"),
        "community": reverse("community:community"),
        "rankings": reverse("gamification:rankings"),
    }


def transfer_before_media(report: dict[str, Any]) -> int:
    """Bytes sent over the network for the page and everything but media, images and fonts."""
    items = report["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    return sum(int(item.get("transferSize") or 0) for item in items if item.get("resourceType") not in MEDIA_TYPES)


def run_lighthouse(url: str, cookie: str, out: Path) -> dict[str, Any]:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
            f"--extra-headers={json.dumps({'Cookie': cookie})}",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    return json.loads(out.read_text())


def verdicts(scores: dict[str, Any]) -> list[str]:
    """What misses a bar, in words (empty: the page passes)."""
    missed = [
        f"{name} {scores[name]} < {bar}" for name, bar in BARS.items() if scores[name] is None or scores[name] < bar
    ]
    missed += [f"PWA check {audit} fails" for audit, ok in scores["pwa_checks"].items() if not ok]
    if scores["transfer_before_media"] > TRANSFER_BUDGET:
        missed.append(f"transfer before media {scores['transfer_before_media']} B > {TRANSFER_BUDGET} B")
    return missed


def _item_text(item: dict[str, Any]) -> str:
    """One line on what a failed audit found: the console message, or the element and why."""
    node = item.get("node") or {}
    text = item.get("description") or item.get("source") or node.get("snippet") or ""
    if node.get("explanation"):
        text = f"{text} {node['explanation']}"
    return str(text)[:300]


def measure(report: dict[str, Any]) -> dict[str, Any]:
    categories = report["categories"]
    scores: dict[str, Any] = {
        name: round(categories[name]["score"] * 100) if categories.get(name, {}).get("score") is not None else None
        for name in CATEGORIES
    }
    scores["pwa_checks"] = {
        audit: report["audits"][audit]["score"] == 1 for audit in PWA_AUDITS if audit in report["audits"]
    }
    scores["transfer_before_media"] = transfer_before_media(report)
    scores["failed_audits"] = {
        audit_id: [_item_text(item) for item in report["audits"][audit_id].get("details", {}).get("items", [])[:3]]
        for name in ("accessibility", "best-practices")
        for ref in categories.get(name, {}).get("auditRefs", [])
        if ref.get("weight") and report["audits"][(audit_id := ref["id"])]["score"] not in (None, 1)
    }
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: a demo database in var/lighthouse.sqlite3")
    parser.add_argument("--only", default="", help="comma-separated page names (home,lesson,quiz,...)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a page misses a bar")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse` (npm install into var/lighthouse).")
    database_url = args.database_url or demo_database()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=django_env(database_url),
        check=True,
    )
    setup_django(database_url)
    rep, pages = rep_pages()
    if args.only:
        pages = {name: path for name, path in pages.items() if name in args.only.split(",")}
    # Lighthouse's Cookie header replaces the browser's cookies, so it carries the CSRF secret too: the page's
    # scripts post their statements with the token made from it, as on a phone.
    from django.conf import settings
    from django.utils.crypto import get_random_string

    csrf = get_random_string(32)
    cookie = f"sessionid={make_session(rep)}; {settings.CSRF_COOKIE_NAME}={csrf}; django_language=ja"
    port = free_port(8190)
    server = Server(database_url=database_url, port=port, workers=2, log_path=ROOT / "var" / "lighthouse.log")
    results: dict[str, Any] = {}
    try:
        server.wait_ready()
        with tempfile.TemporaryDirectory() as tmp:
            for name, path in pages.items():
                url = f"http://127.0.0.1:{port}{path}"
                started = time.monotonic()
                try:
                    report = run_lighthouse(url, cookie, Path(tmp) / f"{name}.json")
                except subprocess.CalledProcessError:
                    # Lighthouse sometimes loses its trace on a busy machine (NO_NAVSTART): once more.
                    report = run_lighthouse(url, cookie, Path(tmp) / f"{name}.json")
                scores = measure(report)
                scores.update(path=path, seconds=round(time.monotonic() - started, 1), missed=verdicts(scores))
                results[name] = scores
                print(
                    f"{name:10} perf {scores['performance']} a11y {scores['accessibility']} "
                    f"bp {scores['best-practices']} pwa {sum(scores['pwa_checks'].values())}/{len(scores['pwa_checks'])} "
                    f"transfer {scores['transfer_before_media'] / 1024:.1f} KB  "
                    f"{'PASS' if not scores['missed'] else 'FAIL: ' + '; '.join(scores['missed'])}",
                    flush=True,
                )
    finally:
        server.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    document = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "lighthouse": "11.7.1",
        "bars": {**BARS, "transfer_before_media_bytes": TRANSFER_BUDGET, "pwa_checks": list(PWA_AUDITS)},
        "pages": results,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False)
    (RESULTS / f"lighthouse-{document['when'].replace(':', '')}.json").write_text(text)
    (RESULTS / "lighthouse-latest.json").write_text(text)
    failed = [name for name, scores in results.items() if scores["missed"]]
    print(
        f"{len(results) - len(failed)}/{len(results)} pages meet the bars; JSON in bench/results/lighthouse-latest.json"
    )
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
