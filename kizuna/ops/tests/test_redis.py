"""REDIS_URL: Django's cache (and so the cached sessions) in a real Redis, shared by separate processes."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from kizuna.ops.tests import procs


def _in_child(env: dict[str, str], code: str) -> str:
    """Run Python in a fresh `manage.py shell` (its own process, as another server would be); return its output."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "shell", "--no-imports", "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


@pytest.mark.django_db(transaction=True)
def test_with_redis_url_separate_processes_share_one_cache_and_the_sessions_live_in_redis(
    redis_server: str, tmp_path: Any
) -> None:
    store = redis.Redis.from_url(redis_server)
    store.flushdb()
    env = procs.child_env(tmp_path, REDIS_URL=redis_server)
    written = _in_child(
        env,
        "from django.core.cache import cache; from django.conf import settings; "
        "cache.set('shared-count', 41, 60); cache.incr('shared-count'); print(settings.CACHES['default']['BACKEND'])",
    )
    assert written == "django_redis.cache.RedisCache"
    assert _in_child(env, "from django.core.cache import cache; print(cache.get('shared-count'))") == "42"
    assert [key.decode() for key in store.scan_iter("*shared-count*")] == ["kizuna:1:shared-count"]

    key = _in_child(
        env,
        "from django.contrib.sessions.backends.cached_db import SessionStore; "
        "s = SessionStore(); s['seen'] = 'on-server-one'; s.create(); print(s.session_key)",
    )
    assert any(key in name.decode() for name in store.scan_iter("*cached_db*"))
    # Gone from the database, the session is still read on another process: from Redis.
    Session.objects.filter(session_key=key).delete()
    read = _in_child(
        env,
        "from django.contrib.sessions.backends.cached_db import SessionStore; "
        f"print(SessionStore(session_key={key!r}).load().get('seen'))",
    )
    assert read == "on-server-one"


@pytest.mark.django_db
def test_readyz_pings_a_real_redis(redis_server: str, settings: Any) -> None:
    settings.REDIS_URL = redis_server
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["redis"]["ok"] is True


def test_a_bad_redis_url_stops_the_start_with_a_clear_error(tmp_path: Any) -> None:
    env = procs.child_env(tmp_path, REDIS_URL="http://127.0.0.1:6379/0")
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "check"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "REDIS_URL must start with redis://" in done.stderr
