"""The fixed cast of the test suite: the principal's admin, author and coach; partner A's
manager and reps; partner B's manager and rep, who must always be refused A's things."""

import functools
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

# A Web Push service on loopback, for the features that push to reps' phones (notifications, learning, updates…).
from kizuna.notifications.tests.conftest import push_receiver  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def settings_for_tests(tmp_path: Any) -> dict[str, Any]:
    """The settings every test runs with (its files under tmp_path); also those a fixture that seeds data for many
    tests at once loads them with (kizuna/demo/tests/seeded/conftest.py), so the data is what a test would make."""
    from django.conf import settings

    overrides: dict[str, Any] = {
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}},
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": tmp_path / "media",
        "MEDIA_WORK_DIR": tmp_path / "work",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Each test starts with an empty, fast cache; the sign-in throttle tests that need the shared
        # database cache across processes switch to it themselves.
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"test-{tmp_path.name}",
            },
            "template_fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
        },
        # A server reads sessions through the shared cache, which is the database by default: one query, as the
        # database sessions cost here (the pinned query counts are a server's).
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "WHITENOISE_USE_FINDERS": True,
        "STATIC_ROOT": tmp_path / "static",  # never the collected files of a running `make run`
        "ACCOUNT_RATE_LIMITS": False,
        # Every projection at once, through the projector's own code (kizuna/records/tests/test_projector.py
        # tests the queue and the background projector themselves).
        "PROJECTIONS_EAGER": True,
        # The tests' IdPs, LRSs, webhook and push receivers run on loopback; kizuna/ops/tests/test_outbound.py
        # checks that without this nothing internal is reached.
        "OUTBOUND_ALLOW_LOOPBACK": True,
    }
    if os.environ.get("REDIS_URL"):
        overrides |= _shared_cache_on_redis(overrides["CACHES"])
    return overrides


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any, request: pytest.FixtureRequest) -> None:
    for name, value in settings_for_tests(tmp_path).items():
        setattr(settings, name, value)
    if os.environ.get("REDIS_URL") and not _counts_queries(request):
        # Sessions read through the shared cache (cached_db, a server's engine with REDIS_URL), except in tests that
        # pin query counts, which count a database-session server's queries.
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The test database, with the database cache's table even when REDIS_URL made the shared cache Redis at start
    (Django makes it from CACHES): the tests of the embedded default's cache switch to it themselves."""
    from django.core.management import call_command
    from django.test import override_settings

    database_cache = {"BACKEND": "kizuna.ops.dbcache.DatabaseCache", "LOCATION": "kizuna_cache"}
    with django_db_blocker.unblock(), override_settings(CACHES={"default": database_cache}):
        call_command("createcachetable", verbosity=0)


def _redis_url_of_this_process() -> str:
    """REDIS_URL with a database of its own for each test process (pytest-xdist's gw0 → 1, gw1 → 2, …)."""
    from urllib.parse import urlsplit, urlunsplit

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = 1 + int(worker.removeprefix("gw") or 0)
    if number > 15:
        raise RuntimeError(f"REDIS_URL: {worker} has no database of its own (Redis has 16)")
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit(parts._replace(path=f"/{number}"))


@functools.cache
def _redis_of_this_process(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


_queries_counted: dict[str, bool] = {}


def _counts_queries(request: pytest.FixtureRequest) -> bool:
    """Whether the test pins a query count (those are a database-session server's counts)."""
    import inspect

    if {"django_assert_num_queries", "django_assert_max_num_queries"} & set(request.fixturenames):
        return True
    module = request.module
    if module.__name__ not in _queries_counted:
        source = inspect.getsource(module)
        _queries_counted[module.__name__] = "CaptureQueriesContext" in source or "assertNumQueries" in source
    return _queries_counted[module.__name__]


def _shared_cache_on_redis(caches: dict[str, Any]) -> dict[str, Any]:
    """With REDIS_URL (the CI's Redis pass): the shared cache, the sessions and /readyz on a real Redis.

    Each test process has its own Redis database, emptied before each test (as the test database is), and the
    cache's key prefix is a server's. Tasks still run at once (the queue on Redis and its workers are tested in
    kizuna/ops/tests/test_rqueue.py).
    """
    url = _redis_url_of_this_process()
    _redis_of_this_process(url).flushdb()
    return {
        "REDIS_URL": url,
        "RQ_QUEUES": {"default": {"URL": url}},
        "CACHES": {
            **caches,
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
                "KEY_PREFIX": "kizuna",
            },
        },
    }


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language (Japanese), whatever a request or a test before it activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


PASSWORD = "kizuna-demo"  # noqa: S105 (the demo and test password, documented in the README)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole run, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from kizuna.tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            # A fake camera and microphone, allowed without a prompt: the roleplay recorder films with them.
            args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
        )
        yield browser
        browser.close()


# Requests the live server is still serving when a browser test ends. The test's database is emptied
# (TRUNCATE) right after; a request still holding row locks then deadlocks with it on PostgreSQL.
_server_requests = threading.Condition()
_in_flight = [0]


def _request_started(**_kwargs: Any) -> None:
    with _server_requests:
        _in_flight[0] += 1


def _request_finished(**_kwargs: Any) -> None:
    with _server_requests:
        _in_flight[0] -= 1
        _server_requests.notify_all()


@pytest.fixture(autouse=True)
def _live_server_settles(request: Any) -> Iterator[None]:
    """Before a live-server test's database is emptied: close its pages and let the server finish its requests."""
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.core.signals import request_finished, request_started

    request.getfixturevalue("transactional_db")  # set up first, so emptied after this waits
    request_started.connect(_request_started, dispatch_uid="kizuna-tests-in-flight-start")
    request_finished.connect(_request_finished, dispatch_uid="kizuna-tests-in-flight-end")
    with _server_requests:
        _in_flight[0] = 0
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()
    with _server_requests:
        _server_requests.wait_for(lambda: _in_flight[0] <= 0, timeout=10)


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh page in a phone-sized (375×667), Japanese, touch context."""
    from kizuna.tests.browser_support import PHONE

    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def signed_in(client: Any) -> Any:
    """Return a function that signs the given person in and returns the test client."""

    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


@dataclass
class Cast:
    principal: Any
    partner_a: Any
    partner_b: Any
    team_a1: Any
    team_a2: Any
    team_b1: Any
    admin: Any
    author: Any
    coach: Any
    manager_a: Any
    rep_a1: Any
    rep_a2: Any
    manager_b: Any
    rep_b1: Any


def make_person(email: str, name: str, org: Any, role: str, team: Any = None) -> Any:
    from kizuna.accounts.models import User
    from kizuna.orgs.models import Membership

    user = User.objects.create_user(email, PASSWORD, name=name)
    Membership.objects.create(user=user, organization=org, role=role, team=team)
    return user


@pytest.fixture
def cast(db: Any) -> Cast:
    from kizuna.catalog.services import story_tags_ensure
    from kizuna.orgs.models import Organization, Team

    # Transactional (browser) tests flush every table, data migrations' rows included.
    story_tags_ensure()

    principal = Organization.objects.create(name="絆ソフト株式会社", slug="principal", kind="principal")
    partner_a = Organization.objects.create(name="パートナーA株式会社", slug="partner-a", kind="partner")
    partner_b = Organization.objects.create(name="パートナーB株式会社", slug="partner-b", kind="partner")
    team_a1 = Team.objects.create(organization=partner_a, name="東京第1チーム")
    team_a2 = Team.objects.create(organization=partner_a, name="大阪チーム")
    team_b1 = Team.objects.create(organization=partner_b, name="名古屋チーム")
    return Cast(
        principal=principal,
        partner_a=partner_a,
        partner_b=partner_b,
        team_a1=team_a1,
        team_a2=team_a2,
        team_b1=team_b1,
        admin=make_person("admin@principal.example", "管理 花子", principal, "admin"),
        author=make_person("author@principal.example", "作成 太郎", principal, "author"),
        coach=make_person("coach@principal.example", "指導 一郎", principal, "coach"),
        manager_a=make_person("manager@partner-a.example", "管理 A子", partner_a, "manager", team_a1),
        rep_a1=make_person("rep1@partner-a.example", "営業 一子", partner_a, "rep", team_a1),
        rep_a2=make_person("rep2@partner-a.example", "営業 二郎", partner_a, "rep", team_a2),
        manager_b=make_person("manager@partner-b.example", "管理 B男", partner_b, "manager", team_b1),
        rep_b1=make_person("rep1@partner-b.example", "営業 B一", partner_b, "rep", team_b1),
    )


def publish_course(
    cast: Cast,
    *,
    slug: str,
    title: str,
    lessons: list[dict[str, Any]],
    required: bool = True,
    due_in_days: int | None = 7,
    **target: Any,
) -> Any:
    """Write a one-module course with the given lessons, publish it and assign it (to partner A unless told)."""
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title=title, slug=slug)
    module = catalog.module_create(course=course, title="はじめに")
    for lesson in lessons:
        catalog.lesson_create(module=module, **lesson)
    catalog.course_publish(course=course, publisher=cast.author)
    catalog.assignment_create(
        course=course,
        assigned_by=cast.admin,
        required=required,
        due_at=timezone.now() + timedelta(days=due_in_days) if required and due_in_days is not None else None,
        **(target or {"partner": cast.partner_a}),
    )
    course.refresh_from_db()
    return course


@pytest.fixture
def article_course(cast: Cast) -> Any:
    """A published two-lesson article course assigned (required, due in a week) to partner A only."""
    return publish_course(
        cast,
        slug="product-basics",
        title="製品の基本",
        lessons=[
            {"kind": "article", "title": "創業者の想い", "body": "# 想い\n\nお客様第一。"},
            {"kind": "article", "title": "よくある質問", "body": "**料金**は月額制です。"},
        ],
    )


@dataclass(frozen=True)
class S3Server:
    endpoint: str  # http://127.0.0.1:<port>, a real S3-compatible HTTP server in its own process


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """An S3-compatible server (moto in server mode) in its own process on loopback, for the whole run."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            # As a real S3: no CORS headers but those of the bucket's own CORS rule (s3_bucket sets the one
            # docs/deploy.md asks for), so a browser test fails if a page needs more than that rule.
            env={**os.environ, "MOTO_DISABLE_GLOBAL_CORS": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/", timeout=1).close()  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # an answer, even a refusal: it is serving
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the S3 server did not start: {log.read_text()[-2000:]}") from None
                time.sleep(0.1)
        yield S3Server(endpoint=endpoint)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


BUCKET_CORS_RULE = {
    "AllowedOrigins": ["http://localhost:*", "http://127.0.0.1:*"],
    "AllowedMethods": ["GET", "HEAD"],
    "AllowedHeaders": ["Range"],
    "ExposeHeaders": ["Accept-Ranges", "Content-Length", "Content-Range", "Content-Type", "ETag"],
    "MaxAgeSeconds": 3600,
}


@pytest.fixture
def s3_bucket(s3_server: S3Server, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Store this test's files in a fresh, private bucket on the S3 server; return a boto3 Bucket to look into it."""
    import uuid

    import boto3

    from kizuna.ops.storage_url import storage_from_url, storage_origins

    for name, value in {"AWS_ACCESS_KEY_ID": "kizuna-test", "AWS_SECRET_ACCESS_KEY": "kizuna-test-secret"}.items():
        monkeypatch.setenv(name, value)
    name = f"kizuna-{uuid.uuid4().hex[:12]}"
    bucket = boto3.resource("s3", endpoint_url=s3_server.endpoint, region_name="us-east-1").Bucket(name)
    bucket.create()
    # docs/deploy.md's CORS rule (the app's origin; here the live servers' loopback origins, on any port).
    bucket.Cors().put(CORSConfiguration={"CORSRules": [BUCKET_CORS_RULE]})
    url = f"s3://{name}?endpoint_url={s3_server.endpoint}&region_name=us-east-1&addressing_style=path&expire=600"
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(url)}
    settings.STORAGE_URL = url  # what child processes (kizuna.ops.tests.procs.child_env) are started with
    # In a deployment the policy allows the bucket's origin from STORAGE_URL at start; here it is switched on per test.
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"]}
    for name in ("img-src", "media-src", "connect-src"):
        directives[name] = list(dict.fromkeys([*directives[name], *storage_origins(settings.STORAGES["default"])]))
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    yield bucket
    bucket.objects.all().delete()
    bucket.delete()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server (Debian's) in its own process on loopback, for the whole run; yields its URL."""
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is missing: `make test` installs it (APT_PACKAGES in the Makefile)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(  # noqa: S603
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(autouse=True)
def _files_in_a_bucket(request: pytest.FixtureRequest) -> None:
    """With KIZUNA_TEST_STORAGE=s3 (the CI's bucket run), every test stores its files in a fresh bucket.

    Except the tests marked `local_files`: they check the local storage itself (files on disk under MEDIA_ROOT,
    served by the app), which the run without KIZUNA_TEST_STORAGE covers too; here they keep the local disk.
    """
    if request.node.get_closest_marker("local_files") is not None:
        return
    if os.environ.get("KIZUNA_TEST_STORAGE") == "s3" and "s3_bucket" not in request.fixturenames:
        request.getfixturevalue("s3_bucket")
