"""/healthz and /readyz: answered to anyone, by IP over plain HTTP, with JSON that says only what failed."""

from typing import Any

import pytest
from django.test import Client

from kizuna.ops import health


def _get(path: str, **extra: Any) -> Any:
    return Client().get(path, HTTP_HOST="10.0.0.7", **extra)  # a load balancer probes by the server's address


def test_healthz_answers_ok_without_touching_the_database(settings: Any) -> None:
    # No django_db mark: any query (a session, a sign-in lookup) would fail this test.
    settings.SECURE_SSL_REDIRECT = True  # a plain-HTTP probe is not redirected
    response = _get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_checks_the_database_migrations_cache_and_storage(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = _get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    # And Redis when REDIS_URL is set (the CI's Redis pass): test_readyz_pings_a_real_redis in test_redis.py.
    assert set(body["checks"]) == {"database", "migrations", "cache", "storage"} | (
        {"redis"} if settings.REDIS_URL else set()
    )
    assert all(set(check) == {"ok", "ms"} and check["ok"] is True for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_answers_503_naming_only_the_failed_check(settings: Any, tmp_path: Any) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = blocker / "media"  # cannot be made: its parent is a file
    response = _get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert str(tmp_path) not in response.content.decode()  # no path, no error text


@pytest.mark.django_db
def test_readyz_pings_redis_when_redis_url_is_set(settings: Any) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    response = _get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


@pytest.mark.django_db
def test_readyz_is_not_ready_until_the_migrations_are_applied(monkeypatch: Any) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrated", [])
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("a pending migration", False)])
    response = _get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["ok"] is False


@pytest.mark.django_db
def test_readyz_checks_the_bucket_when_files_live_in_one(s3_bucket: Any, settings: Any) -> None:
    assert _get("/readyz").json()["checks"]["storage"]["ok"] is True
    missing = {**settings.STORAGES["default"]}
    missing["OPTIONS"] = {**missing["OPTIONS"], "bucket_name": "kizuna-no-such-bucket"}
    settings.STORAGES = {**settings.STORAGES, "default": missing}
    response = _get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False
    assert "no-such-bucket" not in response.content.decode()


def test_the_probes_refuse_writes() -> None:
    response = Client().post("/readyz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
