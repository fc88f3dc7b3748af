"""Health and readiness for load balancers and orchestrators: ``/healthz`` (alive) and ``/readyz`` (can serve).

Answered by the first middleware, before host checks, the HTTPS redirect, sessions and sign-in, so a
probe by IP address over plain HTTP gets an answer and costs nothing else. No authentication, and the
bodies say only which check failed (details go to the log), never a host name, a version or a count
of anything a tenant owns.

    GET /healthz  200 {"status": "ok"}: the process answers (no database, nothing else touched)
    GET /readyz   200 {"status": "ready", "checks": {...}} when the database, the migrations, the cache,
                  the file storage and Redis (when REDIS_URL is set) all answer; 503 "not ready" otherwise
"""

import json
import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

HEALTH_PATH, READY_PATH = "/healthz", "/readyz"

# Once this process has seen every migration applied it does not look again (a migration is never un-applied
# under a running server); until then each probe looks, so a new server becomes ready when `migrate` is done.
_migrated: list[bool] = []


def _check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer to SELECT 1")


def _check_migrations() -> None:
    if _migrated:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations not applied yet")
    _migrated.append(True)


def _check_cache() -> None:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not give back what was put in it")
    finally:
        cache.delete(key)


def _check_storage() -> None:
    from kizuna.ops.storage import storage_check

    storage_check()


def _check_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        if not client.ping():
            raise RuntimeError("no PONG")
    finally:
        client.close()


def _checks() -> list[tuple[str, Callable[[], None]]]:
    checks = [
        ("database", _check_database),
        ("migrations", _check_migrations),
        ("cache", _check_cache),
        ("storage", _check_storage),
    ]
    if settings.REDIS_URL:
        checks.append(("redis", _check_redis))
    return checks


def readiness() -> tuple[bool, dict[str, dict[str, object]]]:
    """Run every check; return whether all passed and each one's result (ok, milliseconds)."""
    results: dict[str, dict[str, object]] = {}
    for name, check in _checks():
        started = time.perf_counter()
        try:
            check()
        except Exception:
            logger.warning("readiness check %s failed", name, exc_info=True)
            ok = False
        else:
            ok = True
        results[name] = {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return all(r["ok"] for r in results.values()), results


def _json(body: dict[str, object], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answer the two probe paths first of all; pass everything else on untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/") or "/"
        if path not in (HEALTH_PATH, READY_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _json({"status": "method not allowed"}, 405)
            response["Allow"] = "GET, HEAD"
            return response
        if path == HEALTH_PATH:
            return _json({"status": "ok"}, 200)
        ready, results = readiness()
        return _json({"status": "ready" if ready else "not ready", "checks": results}, 200 if ready else 503)
