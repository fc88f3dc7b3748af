"""CPU time per request inside one Django process, for the floor page and each rep page, on the bench data set.

Load on a shared machine stretches wall-clock times; the CPU a request costs in the server process changes much
less. This script signs in 20 reps of bench-p01 (sessions in the database, deleted at the end, as bench/load.py
does), calls Django's WSGI handler directly with the bench client's requests (no HTTP, no gunicorn), and reports
time.process_time per request, page by page, in interleaved rounds.

    .venv/bin/python bench/cpu.py [--n 50] [--rounds 2] [--only floor,lesson] [--breakdown] [--profile lesson]

Without --only it measures the floor and every rep page; --only dashboard measures the manager's partner dashboard
(bench-p01, 500 reps) as bench/load.py loads it.

--breakdown adds where the time goes (template rendering by template and block, signing in, SQL), averaged
over every page measured: use it with one page (--only);
--profile PAGE prints a cProfile of that page (CPU time; the profiler itself slows the code about fivefold).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (bench/load.py: the same cast, sessions and requests as the load run)

SPENT: dict[str, float] = {}


def _timed(owner: Any, attr: str, label: Callable[[Any], str] | str) -> None:
    """Add the CPU time of owner.attr's outermost calls to SPENT (per label, or per label(self))."""
    original = getattr(owner, attr)
    depth: dict[str, int] = {}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        name = label(args[0]) if callable(label) else label
        if depth.get(name):
            return original(*args, **kwargs)
        depth[name] = 1
        t0 = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            depth[name] = 0
            SPENT[name] = SPENT.get(name, 0.0) + time.process_time() - t0

    setattr(owner, attr, wrapper)


def _instrument() -> None:
    import django.contrib.auth.middleware as auth_middleware
    import django.template.backends.django as backend
    import django.template.base as template_base
    import django.template.loader_tags as loader_tags
    from django.db.backends import utils as db_utils

    _timed(backend.Template, "render", "template rendering")
    _timed(template_base.Template, "_render", lambda t: f"  template {t.name}")
    _timed(loader_tags.BlockNode, "render", lambda b: f"  block {b.name}")
    _timed(auth_middleware, "get_user", "signed-in user (session and user)")
    _timed(db_utils.CursorWrapper, "execute", "SQL (Django's cursor)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="requests per page and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--only", default="", help="comma-separated pages: floor,rep_home,lesson,course,...,dashboard (the manager's)"
    )
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument("--profile", default="", help="a page to profile with cProfile instead of timing")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    load.setup_django(args.database_url or load.default_database_url())
    from django.contrib.sessions.models import Session
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    if args.breakdown:
        _instrument()
    cast = load.find_cast(20)
    cookies = {person.pk: load.make_session(person) for person in [*cast.reps, cast.manager]}
    # Every rep page by default; the manager's partner dashboard when named (--only dashboard).
    pages = [
        ep
        for ep in load.ENDPOINTS
        if (ep.key in args.only.split(",") if args.only else ep.who == "rep") and ep.who in ("rep", "manager")
    ]
    requests = {ep.key: load.requests_for(ep, cast, cookies, "", "") for ep in pages}

    def call(req: Any) -> str:
        path, _, query = req.path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        for key, value in req.headers.items():
            environ["HTTP_" + key.upper().replace("-", "_")] = value
        status: list[str] = []
        body = app(environ, lambda s, h, exc_info=None: status.append(s))
        b"".join(body)
        body.close()
        return status[0]

    try:
        for ep in pages:  # warm: every request of the page twice (kept values, fragments, connections)
            statuses = {call(req) for req in requests[ep.key] * 2}
            load.log(f"{ep.key}: {', '.join(sorted(statuses))}")
        SPENT.clear()
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            reqs = requests[args.profile]
            profiler.enable()
            for i in range(args.n):
                call(reqs[i % len(reqs)])
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
            print(out.getvalue())
            return 0
        spent: dict[str, list[float]] = {ep.key: [] for ep in pages}
        for r in range(args.rounds):
            for ep in pages:
                reqs = requests[ep.key]
                for i in range(args.n):
                    t0 = time.process_time()
                    call(reqs[(i + r * args.n) % len(reqs)])
                    spent[ep.key].append(time.process_time() - t0)
        print(
            f"CPU ms per request in process, {args.n} x {args.rounds} per page (load average {os.getloadavg()[0]:.1f})"
        )
        floor = statistics.mean(spent["floor"]) if spent.get("floor") else None
        print(f"{'page':12} {'mean':>7} {'median':>7} {'p90':>7}  of floor")
        for key, values in spent.items():
            values.sort()
            mean = statistics.mean(values)
            share = f"{mean / floor:.2f}" if floor else "-"
            print(
                f"{key:12} {mean * 1000:7.2f} {values[len(values) // 2] * 1000:7.2f} "
                f"{values[int(len(values) * 0.9)] * 1000:7.2f}  {share}"
            )
        if args.breakdown:
            n = sum(len(v) for v in spent.values())
            for name, seconds in sorted(SPENT.items(), key=lambda kv: -kv[1]):
                print(f"  {name}: {seconds / n * 1000:.2f} ms per request")
    finally:
        Session.objects.filter(session_key__in=list(cookies.values())).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
