"""Branching scenarios on the bench data (make bench-scenarios): what a step of play and the principal's analytics cost.

(b) **distribution** — a scenario played 100,000 times across the 20 bench partners. The example complaint
    scenario (docs/examples) is imported and published through the real services; then, like bench/datagen,
    the plays are generated in bulk: every play's statements (attempted, one answered per choice, completed),
    shaped from statements the real services wrote for one play, are streamed into records_statement with COPY,
    together with the projection rows (scenarios_attempt from ``scoring.attempt_score``, the rule the live
    projection uses, and scenarios_nodechoicecount). A sample of attempts is replayed from its statements with
    the app's own ``project_attempt`` and compared, and the choice counts are compared with a SQL count of the
    answered statements. Then, at 1,000 plays and again at 100,000, in-process: ``choice_distribution``,
    ``alignment_by_partner``, the principal's page, its per-moment chart, the scenario list and partner
    bench-p01's manager page (time and SQL query count).

(a) **play** — playing a step under concurrent reps through gunicorn on 127.0.0.1: a partner of its own
    (``bench-scn-play``, so no bench partner's records change) whose reps are assigned a course with the scenario
    lesson; each client is one rep who starts attempts and plays them to the end: POST the choice, follow the
    redirect to the commentary page (GET). Measured for each concurrency level, beside the floor page /me/.

Everything the run adds is deleted at the end (``--keep`` leaves it; ``--cleanup`` only deletes). The run applies
the records and scenarios migrations if the bench database lacks them. Results: bench/results/scenarios-latest.json.

    .venv/bin/python bench/scenarios.py                       # both, on `bench/pg.sh url` (make bench-scenarios)
    .venv/bin/python bench/scenarios.py --only distribution --plays 100000
    .venv/bin/python bench/scenarios.py --only play --concurrency 1,4,16 --duration 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
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
    git_info,
    log,
    make_session,
    percentile,
    setup_django,
)
from scenarios_data import (  # noqa: E402
    PLAY_PARTNER,
    Generator,
    bulk_write,
    capture_templates,
    check_attempt_columns,
    plan_players,
    verify,
)

SLUG = "bench-scn-complaint"
COURSE_SLUG = "bench-scn-course"
EXAMPLE = ROOT / "docs" / "examples" / "complaint-handling.yaml"
RESULTS = BENCH / "results" / "scenarios-latest.json"
SEED = 20240501
TARGET_MS = 1000.0  # the target for the per-node choice distribution of 100,000 plays


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _stats(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "p50_ms": round(percentile(ordered, 0.5), 2),
        "p95_ms": round(percentile(ordered, 0.95), 2),
        "max_ms": round(ordered[-1], 2),
    }


# --- Setup and cleanup --------------------------------------------------------------------------


def ensure_schema() -> None:
    """Apply the records and scenarios migrations (and what they need) if the bench database lacks them."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] in ("records", "scenarios")]
    plan = executor.migration_plan(targets)
    if plan:
        log(f"applying {len(plan)} migrations: {', '.join(f'{m.app_label}.{m.name}' for m, _ in plan)}")
        for app, name in targets:
            call_command("migrate", app, name, interactive=False, verbosity=0)


def cleanup() -> dict[str, int]:
    """Delete everything a previous run added: its statements, attempts, course, partner, people and scenario."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.db.models import Q

    from kizuna.catalog.models import Course
    from kizuna.catalog.selectors import course_iri
    from kizuna.orgs.models import Organization
    from kizuna.records.models import Statement
    from kizuna.scenarios.models import Scenario, ScenarioVersion, ValueTag

    done: dict[str, int] = {}
    scenario = Scenario.objects.filter(slug=SLUG).first()
    with transaction.atomic():
        if scenario is not None:
            # The scenario's statements carry its IRIs (…/scenario/<key>/v<n>…), with or without a lesson.
            prefix = f"%/xapi/activities/scenario/{scenario.key}/%"
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM records_statement WHERE object_iri LIKE %s", [prefix])
                done["statements"] = cursor.rowcount
        people = get_user_model().objects.filter(membership__organization__slug=PLAY_PARTNER)
        done["play_statements"] = Statement.objects.filter(actor__in=people).delete()[0]
        course = Course.objects.filter(slug=COURSE_SLUG).first()
        if course is not None:
            # Its lessons' statements carry its ids; the "assigned" statement only its IRI.
            Statement.objects.filter(Q(course=course) | Q(object_iri=course_iri(course))).delete()
            course.delete()
        done["people"] = people.delete()[0]
        Organization.objects.filter(slug=PLAY_PARTNER).delete()
        if scenario is not None:
            ScenarioVersion.objects.filter(scenario=scenario).delete()  # attempts and counts go with them
            Scenario.objects.filter(pk=scenario.pk).update(start_node=None, latest_version=None)
            scenario.delete()
        # The example's values, if this run created them and nothing else uses them.
        ValueTag.objects.filter(slug__in=["customer-first", "ownership"], choices__isnull=True).delete()
    return done


def scenario_publish_example() -> Any:
    """Import the documented example under the bench code (no product) and publish it."""
    import yaml

    from kizuna.orgs.models import Membership
    from kizuna.scenarios.services import scenario_import, scenario_publish

    author = Membership.objects.filter(role="author").select_related("user").first().user
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.update({"slug": SLUG, "product": None, "title": "[bench] " + data["title"]})
    scenario = scenario_import(data, author=author)
    return scenario_publish(scenario=scenario, publisher=author)


# --- (b) 100,000 plays in bulk -------------------------------------------------------------------


def measure_distribution(version: Any, rounds: int) -> dict[str, Any]:
    """Time the reads and pages of the principal's analytics (and one manager's) in-process; count their queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from kizuna.scenarios import analytics_selectors as analytics
    from kizuna.scenarios import selectors

    translation.activate("ja")
    users = get_user_model().objects.select_related("membership__organization")
    admin = users.filter(membership__role="admin").order_by("pk").first()
    manager = users.filter(membership__role="manager", membership__organization__slug=TARGET_PARTNER_SLUG).first()
    out: dict[str, Any] = {}

    def timed(key: str, fn: Any) -> None:
        fn()
        with CaptureQueriesContext(connection) as captured:
            fn()
        queries = len(captured.captured_queries)  # now: the next request empties the log
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            fn()
            samples.append(_ms(time.perf_counter() - started))
        out[key] = {**_stats(samples), "queries": queries}

    timed("choice_distribution", lambda: selectors.choice_distribution(user=admin, version=version))
    timed(
        "choice_distribution+tables",
        lambda: analytics.highlight_divergences(
            analytics.distribution_tables(selectors.choice_distribution(user=admin, version=version))
        ),
    )
    timed("alignment_by_partner", lambda: selectors.alignment_by_partner(user=admin, version=version))
    pages = {
        "principal page": (admin, reverse("scenarios:principal_scenario_analytics", args=[version.scenario_id])),
        "moment chart (svg)": (
            admin,
            reverse("scenarios:principal_scenario_node_svg", args=[version.scenario_id, "opening"]),
        ),
        "alignment chart (svg)": (
            admin,
            reverse("scenarios:principal_scenario_alignment_svg", args=[version.scenario_id]),
        ),
        "principal list": (admin, reverse("scenarios:principal_scenarios")),
        f"manager page ({TARGET_PARTNER_SLUG})": (
            manager,
            reverse("scenarios:partner_scenario_analytics", args=[version.scenario_id]),
        ),
    }
    for key, (user, url) in pages.items():
        client = Client(headers={"Accept-Language": "ja"})
        client.force_login(user)

        def get(client: Any = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        timed(key, get)
        out[key]["bytes"] = len(client.get(url).content)
        client.logout()
    return out


def run_distribution(args: argparse.Namespace, version: Any) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    check_attempt_columns()
    rep = get_user_model().objects.filter(membership__role="rep", membership__organization__kind="partner").first()
    templates = capture_templates(version, rep)
    plan = plan_players()
    partners = len(set(plan.chance))
    log(f"distribution: {len(plan.reps):,} reps in {partners} partners play the scenario")
    gen = Generator(version=version, templates=templates, plan=plan, seed=SEED)
    now = timezone.now()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()} | {args.plays})
    runs = []
    written = 0
    for size in sizes:
        wrote = bulk_write(gen, size - written, now=now)
        written = size
        check = verify(version, args.verify, random.Random(SEED + size))
        log(f"distribution: at {size:,} plays, measuring ({args.rounds} rounds each)")
        runs.append(
            {"plays": size, "write": wrote, "verify": check, "measured": measure_distribution(version, args.rounds)}
        )
    return {"reps": len(plan.reps), "partners": partners, "runs": runs}


# --- (a) a step of play under concurrent reps, through gunicorn ----------------------------------


@dataclass
class Player:
    rep: Any
    cookie: str
    csrf: str


def play_setup(version: Any, n_reps: int) -> tuple[Any, list[Player]]:
    """A partner of its own with n reps, and a course with the scenario lesson assigned to it."""
    from django.utils import timezone

    from kizuna.catalog import services as catalog
    from kizuna.orgs import services as orgs
    from kizuna.orgs.models import Membership

    admin = Membership.objects.filter(role="admin").select_related("user").first().user
    author = Membership.objects.filter(role="author").select_related("user").first().user
    partner = orgs.partner_create(name="[bench] シナリオ演習", slug=PLAY_PARTNER)
    team = orgs.team_create(organization=partner, name="演習チーム")
    reps = [
        orgs.person_create(
            name=f"演習 {i:02d}",
            email=f"rep{i:02d}@{PLAY_PARTNER}.bench.example",
            organization=partner,
            role=Membership.Role.REP,
            team=team,
            invited_by=admin,
            send_invitation=False,
        )
        for i in range(1, n_reps + 1)
    ]
    course = catalog.course_create(author=author, title="[bench] シナリオ", slug=COURSE_SLUG)
    module = catalog.module_create(course=course, title="演習")
    catalog.lesson_create(module=module, kind="scenario", title="クレーム対応", content_id=version.scenario_id)
    published = catalog.course_publish(course=course, publisher=author)
    catalog.assignment_create(course=course, assigned_by=admin, required=False, partner=partner, when=timezone.now())
    lesson = published.lessons.get()
    assert lesson.content_id == version.pk
    players = [Player(rep=r, cookie=make_session(r), csrf=uuid.uuid4().hex) for r in reps]
    return lesson, players


@dataclass
class StepSamples:
    steps: list[tuple[float, float]] = field(default_factory=list)  # (POST choose, GET commentary) seconds
    starts: list[float] = field(default_factory=list)
    finished: int = 0
    errors: Counter[str] = field(default_factory=Counter)


def player_loop(
    port: int,
    player: Player,
    *,
    graph: Any,
    version_id: int,
    lesson_id: int,
    rng: random.Random,
    measure_from: float,
    stop_at: float,
    out: StepSamples,
    lock: threading.Lock,
) -> None:
    headers = {
        "Cookie": f"sessionid={player.cookie}; csrftoken={player.csrf}",
        "X-CSRFToken": player.csrf,
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept-Language": "ja",
        "User-Agent": "kizuna-bench/1 (iPhone)",
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, str]:
        conn.request(method, path, body=urlencode(body) if body else None, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""

    attempt_id, node = None, None
    local = StepSamples()
    while time.perf_counter() < stop_at:
        try:
            if attempt_id is None:
                t0 = time.perf_counter()
                status, location = request(
                    "POST",
                    f"/play/scenarios/{version_id}/",
                    {"statement_id": str(uuid.uuid4()), "lesson": lesson_id},
                )
                match = re.search(r"/play/attempts/(\d+)/", location)
                if status != 302 or match is None:
                    local.errors[f"start {status}"] += 1
                    continue
                attempt_id, node = int(match.group(1)), graph.start
                status, _ = request("GET", location)
                if t0 >= measure_from:
                    local.starts.append(time.perf_counter() - t0)
                continue
            choices = graph.node(node)["choices"]
            reference = graph.reference_choice(node)
            chosen = reference if reference is not None and rng.random() < 0.6 else rng.choice(choices)
            t0 = time.perf_counter()
            status, location = request(
                "POST",
                f"/play/attempts/{attempt_id}/choose/",
                {"node": node, "choice": chosen["key"], "statement_id": str(uuid.uuid4())},
            )
            t1 = time.perf_counter()
            if status != 302 or "after=" not in location:
                local.errors[f"choose {status}"] += 1
                attempt_id = None
                continue
            status, _ = request("GET", location)
            t2 = time.perf_counter()
            if status != 200:
                local.errors[f"commentary {status}"] += 1
            if t0 >= measure_from:
                local.steps.append((t1 - t0, t2 - t1))
            node = chosen["next"]
            if graph.is_end(node):
                local.finished += 1
                attempt_id = None
        except (OSError, http.client.HTTPException) as exc:
            local.errors[exc.__class__.__name__] += 1
            conn.close()
            attempt_id = None
    conn.close()
    with lock:
        out.steps += local.steps
        out.starts += local.starts
        out.finished += local.finished
        out.errors.update(local.errors)


def floor_loop(
    port: int, player: Player, *, measure_from: float, stop_at: float, out: list[float], lock: threading.Lock
) -> None:
    headers = {"Cookie": f"sessionid={player.cookie}", "Accept-Language": "ja"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    local = []
    while time.perf_counter() < stop_at:
        t0 = time.perf_counter()
        conn.request("GET", "/me/", headers=headers)
        response = conn.getresponse()
        response.read()
        if t0 >= measure_from and response.status == 200:
            local.append(time.perf_counter() - t0)
    conn.close()
    with lock:
        out += local


def step_queries(version: Any, lesson: Any, rep: Any) -> dict[str, int]:
    """The SQL queries of one step in-process: POST the choice, GET the commentary page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kizuna.scenarios.scoring import Graph

    graph = Graph(version.graph)
    client = Client()
    client.force_login(rep)
    response = client.post(f"/play/scenarios/{version.pk}/", {"statement_id": str(uuid.uuid4()), "lesson": lesson.pk})
    attempt_url = response["Location"]
    attempt_id = int(re.search(r"/play/attempts/(\d+)/", attempt_url).group(1))
    node = graph.start
    counts: dict[str, int] = {}
    for step in (1, 2):
        choice = graph.reference_choice(node)
        with CaptureQueriesContext(connection) as post:
            response = client.post(
                f"/play/attempts/{attempt_id}/choose/",
                {"node": node, "choice": choice["key"], "statement_id": str(uuid.uuid4())},
            )
        with CaptureQueriesContext(connection) as get:
            page = client.get(response["Location"])
        assert page.status_code == 200
        counts[f"step {step}: POST choose"] = len(post.captured_queries)
        counts[f"step {step}: GET commentary"] = len(get.captured_queries)
        node = choice["next"]
    client.logout()
    return counts


def run_play(args: argparse.Namespace, version: Any, database_url: str) -> dict[str, Any]:
    import subprocess

    from kizuna.scenarios.scoring import Graph

    levels = [int(c) for c in args.concurrency.split(",") if c.strip()]
    lesson, players = play_setup(version, max(levels))
    queries = step_queries(version, lesson, players[-1].rep)
    # DEBUG off serves static files through the manifest, which collectstatic writes (as bench/load.py does).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=django_env(database_url),
        check=True,
    )
    graph = Graph(version.graph)
    port = free_port(args.port)
    server = Server(
        database_url=database_url,
        port=port,
        workers=args.workers,
        log_path=ROOT / "var" / "bench" / "gunicorn-scenarios.log",
    )
    results = []
    try:
        log(f"play: gunicorn pid {server.proc.pid} on 127.0.0.1:{port} (-w {args.workers}), waiting for it ...")
        server.wait_ready()
        for level in levels:
            for kind in ("floor", "step"):
                lock = threading.Lock()
                start = time.perf_counter()
                measure_from = start + args.warmup
                stop_at = measure_from + args.duration
                samples = StepSamples()
                floor: list[float] = []
                threads = []
                for i, player in enumerate(players[:level]):
                    if kind == "step":
                        target, kwargs = (
                            player_loop,
                            {
                                "graph": graph,
                                "version_id": version.pk,
                                "lesson_id": lesson.pk,
                                "rng": random.Random(f"{SEED}:{level}:{i}"),
                                "out": samples,
                            },
                        )
                    else:
                        target, kwargs = floor_loop, {"out": floor}
                    threads.append(
                        threading.Thread(
                            target=target,
                            args=(port, player),
                            kwargs={**kwargs, "measure_from": measure_from, "stop_at": stop_at, "lock": lock},
                            daemon=True,
                        )
                    )
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                if kind == "floor":
                    row = {
                        "concurrency": level,
                        "page": "floor /me/",
                        **_stats([_ms(s) for s in floor]),
                        "per_s": round(len(floor) / args.duration, 1),
                    }
                else:
                    totals = [_ms(p + g) for p, g in samples.steps]
                    row = {
                        "concurrency": level,
                        "page": "step: POST choose + GET commentary",
                        **_stats(totals),
                        "per_s": round(len(totals) / args.duration, 1),
                        "post_p50_ms": round(statistics.median(_ms(p) for p, _g in samples.steps), 2),
                        "get_p50_ms": round(statistics.median(_ms(g) for _p, g in samples.steps), 2),
                        "starts": len(samples.starts),
                        "finished_attempts": samples.finished,
                        "errors": dict(samples.errors),
                    }
                log(
                    f"play: {level} clients, {row['page']}: {row['per_s']}/s, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms"
                )
                results.append(row)
    finally:
        server.stop()
        log(f"play: gunicorn stopped (exit {server.proc.returncode})")
    return {
        "reps": len(players),
        "workers": args.workers,
        "duration_s": args.duration,
        "queries": queries,
        "rows": results,
    }


# --- Main ----------------------------------------------------------------------------------------


def print_report(report: dict[str, Any]) -> None:
    print()
    print(
        f"Kizuna scenarios benchmark {report['started_at']}  ({report['machine']['cpus']} CPUs, "
        f"load average {report['machine']['load_average_before'][0]:.1f} before, "
        f"{report['machine']['load_average_after'][0]:.1f} after)"
    )
    targets = []
    dist = report.get("distribution")
    if dist:
        print(f"\n(b) one scenario played across {dist['partners']} partners ({dist['reps']:,} reps); in-process, ms")
        head = f"{'read / page':<34}" + "".join(f"{r['plays']:>10,} plays: p50    p95  queries" for r in dist["runs"])
        print(head)
        keys = list(dist["runs"][0]["measured"])
        for key in keys:
            line = f"{key:<34}"
            for run in dist["runs"]:
                m = run["measured"][key]
                line += f"{'':>17}{m['p50_ms']:>7.1f}{m['p95_ms']:>7.1f}{m['queries']:>9}"
            print(line)
        for run in dist["runs"]:
            v = run["verify"]
            print(
                f"verify at {run['plays']:,} plays: {v['attempts_replayed']} attempts replayed from their statements, "
                f"{len(v['attempts_differing'])} differ; choice counts equal the statements: {v['choice_counts_equal_statements']}"
            )
        last = dist["runs"][-1]
        for key in ("choice_distribution", "principal page"):
            p95 = last["measured"][key]["p95_ms"]
            targets.append(
                (p95 < TARGET_MS, f"{key} at {last['plays']:,} plays p95 < {TARGET_MS:.0f} ms: {p95:.1f} ms")
            )
        grown = [
            key
            for key in keys
            if any(
                run["measured"][key]["queries"] != dist["runs"][0]["measured"][key]["queries"] for run in dist["runs"]
            )
        ]
        targets.append((not grown, "query counts do not grow with plays" + (f": {', '.join(grown)}" if grown else "")))
        ok = all(
            not run["verify"]["attempts_differing"] and run["verify"]["choice_counts_equal_statements"]
            for run in dist["runs"]
        )
        targets.append((ok, "generated projection rows equal what the app derives from the generated statements"))
    play = report.get("play")
    if play:
        print(
            f"\n(a) playing a step through gunicorn -w {play['workers']} on 127.0.0.1, each client one rep, {play['duration_s']:g} s per row"
        )
        print(
            f"{'clients':>7}  {'what':<36}{'per s':>8}{'p50':>8}{'p95':>8}{'max':>8}{'POST p50':>10}{'GET p50':>9}  errors"
        )
        for row in play["rows"]:
            print(
                f"{row['concurrency']:>7}  {row['page']:<36}{row['per_s']:>8}{row['p50_ms']:>8.1f}{row['p95_ms']:>8.1f}{row['max_ms']:>8.1f}"
                f"{row.get('post_p50_ms', ''):>10}{row.get('get_p50_ms', ''):>9}  {row.get('errors', '')}"
            )
        print("queries of one step (in-process):", ", ".join(f"{k} {v}" for k, v in play["queries"].items()))
        errors = sum(sum(row.get("errors", {}).values()) for row in play["rows"])
        targets.append((errors == 0, f"every step under load answered as expected ({errors} errors)"))
    print()
    for ok, text in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    report["targets"] = [{"result": "PASS" if ok else "FAIL", "target": text} for ok, text in targets]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: `bench/pg.sh url` (the full data set: 20 partners)")
    parser.add_argument("--only", choices=["distribution", "play"])
    parser.add_argument("--plays", type=int, default=100_000, help="plays of the scenario (default 100,000)")
    parser.add_argument("--sizes", default="1000", help="also measure at these numbers of plays (default 1000)")
    parser.add_argument("--rounds", type=int, default=10, help="timed calls per read or page (default 10)")
    parser.add_argument("--verify", type=int, default=50, help="attempts replayed from their statements (default 50)")
    parser.add_argument("--concurrency", default="1,4,16", help="concurrent reps playing (default 1,4,16)")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per row (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--keep", action="store_true", help="leave the scenario, its plays and the play partner")
    parser.add_argument("--cleanup", action="store_true", help="only delete what an earlier run left, and exit")
    args = parser.parse_args()

    database_url = args.database_url or default_database_url()
    setup_django(database_url)
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client and query capture, as bench/load.py's query counting
    ensure_schema()
    log(f"cleanup of an earlier run: {cleanup()}")
    if args.cleanup:
        return 0
    report: dict[str, Any] = {
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "git": git_info(),
        "database": database_url.split("@")[-1],
        "machine": {"cpus": os.cpu_count(), "load_average_before": list(os.getloadavg())},
    }
    try:
        version = scenario_publish_example()
        if args.only in (None, "distribution"):
            report["distribution"] = run_distribution(args, version)
        if args.only in (None, "play"):
            report["play"] = run_play(args, version, database_url)
    finally:
        report["machine"]["load_average_after"] = list(os.getloadavg())
        if not args.keep:
            log(f"cleanup: {cleanup()}")
    print_report(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print(f"\nresults: {RESULTS.relative_to(ROOT)}")
    return 0 if all(t["result"] == "PASS" for t in report["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
