"""Which months of the statements table each request reads: the per-request statement queries under EXPLAIN ANALYZE.

    .venv/bin/python bench/statements_pruning.py --database-url postgres://…/<a copy of kizuna_bench>

Writes (a few statements, queue rows, an API token and an LRS credential): run it on a copy
(`CREATE DATABASE x TEMPLATE kizuna_bench`), never on the bench database itself.

In-process (Django's test client), each request or per-request read is made once as the code makes it; every
query it sends to `records_statement` (or the key table) is captured and run again under
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON). For each: the partitions read (a scan that ran at least once; pruned
when planning or when running both count as not read), planning and execution time and the shared buffers
touched. Prints one JSON object with the load average before and after (the machine is shared: compare the
partitions and buffers first, times second).
"""

import argparse
import base64
import inspect
import json
import os
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TABLES = ('"records_statement"', '"records_statementkey"', "records_statement ")


def _walk(plan: Any, table: str) -> tuple[set[str], int]:
    """(partitions read, how many partition scans the plan has) of a plan."""
    read, scans = set(), 0
    stack = [plan]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            name = node.get("Relation Name", "")
            if name.startswith(table + "_"):
                scans += 1
                if node.get("Actual Loops", 0) > 0:
                    read.add(name)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return read, scans


def _explain(sql: str) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        raw = cur.fetchone()[0]
    plan = (raw if isinstance(raw, list) else json.loads(raw))[0]
    read, scans = _walk(plan, "records_statement")
    top = plan["Plan"]
    return {
        "sql": sql[:160],
        "partitions_read": len(read),
        "partitions_planned": scans,
        "planning_ms": round(plan.get("Planning Time", 0), 2),
        "execution_ms": round(plan.get("Execution Time", 0), 2),
        "buffers": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
    }


def _measure(call: Any) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    found = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or not any(t in sql for t in TABLES):
            continue
        found.append(_explain(sql))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--partner", default="bench-p01")
    args = parser.parse_args()
    if args.database_url.rstrip("/").endswith(("/kizuna_bench", "/kizuna_bench_small")):
        parser.error("this writes: give a copy of the bench database (CREATE DATABASE x TEMPLATE kizuna_bench)")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["PROJECTIONS_EAGER"] = "false"
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from kizuna.accounts.models import User
    from kizuna.agreements.learning_time import _rows_of_day
    from kizuna.api.services import api_token_create
    from kizuna.lrs.services import lrs_credential_create
    from kizuna.orgs.selectors import partner_by_code
    from kizuna.records import partitions, projector, selectors
    from kizuna.records.models import LessonProgress, Statement

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    out: dict[str, Any] = {"load_before": [round(x, 2) for x in os.getloadavg()]}
    out["partitions"] = [(p.name, p.rows) for p in partitions.partitions_list()]
    partner = partner_by_code(code=args.partner)
    assert partner is not None, f"no partner {args.partner}"
    rep = (
        User.objects.filter(membership__organization=partner, membership__role="rep", lesson_progress__isnull=False)
        .order_by("pk")
        .first()
    )
    assert rep is not None
    manager = User.objects.filter(membership__organization=partner, membership__role="manager").first()
    admin = User.objects.filter(email="admin@principal.bench.example").first()
    lesson_id = (
        LessonProgress.objects.filter(user=rep).order_by("-last_activity_at").values_list("lesson_id", flat=True)[0]
    )
    _token, secret = api_token_create(user=rep, name="bench pruning", created_by=admin)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    credential, lrs_secret = lrs_credential_create(name="bench pruning", partner_code=args.partner)
    lrs_auth = {
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{credential.key}:{lrs_secret}".encode()).decode(),
        "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3",
    }

    def page(user: Any, path: str) -> Any:
        client = Client()
        client.force_login(user)

        def load() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return load

    api = Client()
    retried = str(uuid.uuid4())

    def lesson_statement(statement_id: str | None = None) -> None:
        body = {"id": statement_id or str(uuid.uuid4()), "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"}}
        response = api.post(
            f"/api/v1/lessons/{lesson_id}/statements", json.dumps(body), content_type="application/json", **bearer
        )
        assert response.status_code == 200, response.content[:300]

    def statements_30_days() -> None:
        since = (timezone.now() - timedelta(days=30)).isoformat().replace("+00:00", "Z")
        response = api.get("/api/v1/statements", {"since": since, "limit": 50}, **bearer)
        assert response.status_code == 200, response.content[:300]

    def lrs_post() -> None:
        statement = {
            "id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "mbox": "mailto:bench-outside@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": "https://tools.example.com/activity/1"},
        }
        response = api.post("/xapi/statements", json.dumps(statement), content_type="application/json", **lrs_auth)
        assert response.status_code == 200, response.content[:300]

    def lrs_get() -> None:
        response = api.get("/xapi/statements", {"limit": 20}, **lrs_auth)
        assert response.status_code == 200, response.content[:300]

    newest = list(Statement.objects.order_by("-seq").values_list("seq", "stored")[:200])

    def projector_batch() -> None:
        if hasattr(projector, "_queued_statements"):
            list(projector._queued_statements(newest))
        else:  # the code before: the batch by seq only
            list(Statement.objects.filter(seq__in=[s for s, _ in newest]).order_by("seq"))

    top_seq = newest[0][0]

    def mirror_read() -> None:
        kwargs: dict[str, Any] = {"seq": top_seq - 3000, "limit": 3000}
        if "stored_since" in inspect.signature(selectors.statements_after).parameters:
            kwargs["stored_since"] = timezone.now() - timedelta(hours=1)  # the mirror's `through`, a minute old
        selectors.statements_after(**kwargs)

    known = Statement.objects.filter(actor=rep).order_by("-seq").values_list("id", flat=True)[0]
    old = Statement.objects.order_by("seq").values_list("id", flat=True)[0]
    today = timezone.localdate()
    calls = {
        "rep_home": page(rep, "/"),
        "partner_dashboard": page(manager, "/partner/dashboard/"),
        "kpi_board": page(admin, "/kpis/"),
        "lesson_statement_post": lesson_statement,
        "lesson_statement_retry": lambda: lesson_statement(retried),
        "lookup_by_id_recent": lambda: selectors.statement_owner_id(known),
        "lookup_by_id_oldest": lambda: selectors.statement_owner_id(old),
        "lookup_by_id_unknown": lambda: selectors.statement_owner_id(uuid.uuid4()),
        "ids_stored": lambda: selectors.statement_ids_stored([known, old, uuid.uuid4()]),
        "projector_batch_200": projector_batch,
        "mirror_read_3000": mirror_read,
        "learning_time_day": lambda: _rows_of_day(rep.pk, today),
        "api_statements_30_days": statements_30_days,
        "lrs_post": lrs_post,
        "lrs_get": lrs_get,
    }
    results = {}
    for name, call in calls.items():
        call()  # warm: caches, the first plan
        results[name] = _measure(call)
    out["queries"] = results
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
