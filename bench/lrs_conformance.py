"""Run ADL's LRS conformance test suite against the xAPI LRS of a Kizuna running on this machine.

    bench/lrs_conformance.py SUITE_DIR [--url http://127.0.0.1:8000] [--xapi-version 1.0.3[,2.0.0]]

SUITE_DIR is a checkout of https://github.com/adlnet/lrs-conformance-test-suite (kept outside this repository;
nothing of it is copied here). Its npm dependencies are installed there if `node_modules` is missing. The script
creates LRS credentials with `manage.py lrs_credentials` in the database of the running Kizuna (so run it with
the same environment as the server: DATABASE_URL / KIZUNA_VAR_DIR), runs the suite once per version against
`<url>/xapi` and prints the pass and fail counts (and the titles of the failing tests). Exit status 1 if any
test failed. Loopback only. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def ensure_dependencies(suite: Path) -> None:
    if not (suite / "bin" / "console_runner.js").exists():
        sys.exit(f"{suite} is not a checkout of adlnet/lrs-conformance-test-suite (no bin/console_runner.js)")
    if not (suite / "node_modules").is_dir():
        print("installing the suite's npm dependencies…", flush=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=suite, check=True)


def make_credentials() -> tuple[str, str]:
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    out = subprocess.run(
        [python, "manage.py", "lrs_credentials", "ADL conformance suite"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    key, secret = out.split(" ")
    return key, secret


def warm_up(endpoint: str, key: str, secret: str, requests: int = 24) -> None:
    """Send a few statements and reads first: the suite measures the clock offset on its very first statement,
    and a cold server worker answering it slowly would skew every since/until it computes afterwards."""
    auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
    statement = {
        "actor": {"mbox": "mailto:warm-up@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "http://example.com/kizuna/lrs-conformance/warm-up"},
    }
    for _ in range(requests):
        for request in (
            urllib.request.Request(f"{endpoint}/statements", json.dumps(statement).encode(), headers, method="POST"),
            urllib.request.Request(f"{endpoint}/statements?limit=1", headers=headers),
        ):
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback, checked)
                response.read()


def failing_titles(node: dict, path: list[str]) -> list[str]:
    found = []
    for child in node.get("tests") or []:
        found += failing_titles(child, [*path, child.get("title") or child.get("name") or ""])
    if node.get("status") == "failed" and not node.get("tests"):
        found.append(" > ".join(p for p in path if p))
    return found


def run_suite(suite: Path, endpoint: str, key: str, secret: str, version: str) -> dict:
    command = [
        "node", "bin/console_runner.js",
        "-e", endpoint, "-a", "-u", key, "-p", secret, "-x", version, "-z",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=suite, capture_output=True, text=True, timeout=3600)
    output = done.stdout + done.stderr
    summaries = re.findall(r'\{"total":\d+,"passed":\d+,"failed":\d+[^}]*\}', output)
    log_path = re.search(r"Full run log written to (\S+)", output)
    if not summaries:
        print(output[-3000:])
        sys.exit(f"the suite for {version} gave no summary")
    summary = json.loads(summaries[-1])
    summary["failing"] = []
    if log_path and Path(log_path.group(1)).exists():
        log = json.loads(Path(log_path.group(1)).read_text())
        if "log" in log:
            summary["failing"] = failing_titles(log["log"], [])
        summary["log"] = log_path.group(1)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("suite", type=Path, help="the folder of adlnet/lrs-conformance-test-suite")
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running Kizuna (loopback only)")
    parser.add_argument("--xapi-version", default="1.0.3", help="comma-separated: 1.0.3, 2.0.0")
    args = parser.parse_args()
    if urlparse(args.url).hostname not in LOOPBACK:
        sys.exit("run the conformance suite against a Kizuna on this machine (127.0.0.1) only")
    suite = args.suite.resolve()
    ensure_dependencies(suite)
    about = args.url.rstrip("/") + "/xapi/about"
    try:
        with urllib.request.urlopen(about, timeout=10) as response:  # noqa: S310 (loopback, checked above)
            print(f"LRS at {about}: {response.read().decode()}")
    except OSError as error:
        sys.exit(f"no Kizuna answers at {about} ({error}); start it with `make run`")
    key, secret = make_credentials()
    warm_up(args.url.rstrip("/") + "/xapi", key, secret)
    failed = 0
    for version in [v.strip() for v in args.xapi_version.split(",") if v.strip()]:
        summary = run_suite(suite, args.url.rstrip("/") + "/xapi", key, secret, version)
        failed += summary["failed"]
        print(f"xAPI {version}: {summary['passed']} passed, {summary['failed']} failed of {summary['total']}")
        for title in summary["failing"]:
            print(f"  FAILED {title}")
        if summary.get("log"):
            print(f"  log: {summary['log']}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
