"""With several servers, what one server keeps in its own memory must not hide a change another server made:
per-process caches hold only what cannot change (or what is stamped with a token read from the database), and
everything else is in the shared cache (Redis with REDIS_URL). Two real processes on the test database."""

import subprocess
import sys
from typing import Any

import pytest
import redis
from django.conf import settings

from kizuna.ops import repcache
from kizuna.ops.tests import procs
from kizuna.records import vocab
from kizuna.records.selectors import latest_statement_id
from kizuna.records.services import Activity, statement_record

pytestmark = pytest.mark.django_db(transaction=True)

MEETING = Activity(iri="https://kizuna.example/live/7", type=vocab.TYPE_MODULE, name={"ja-JP": "ライブ"})


def on_other_server(env: dict[str, str], code: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, procs.MANAGE, "shell", "--no-imports", "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@pytest.fixture
def other_server_env(redis_server: str, tmp_path: Any, settings: Any) -> dict[str, str]:
    """Another server's environment: the same database, the same Redis (its database 2, emptied)."""
    url = redis_server.rsplit("/", 1)[0] + "/2"
    redis.Redis.from_url(url).flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "kizuna"},
        "template_fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
    }
    return procs.child_env(tmp_path, REDIS_URL=url)


def test_the_latest_statement_of_a_rep_is_the_one_another_server_just_stored(cast, other_server_env):
    first, _ = statement_record(actor=cast.rep_a1, verb=vocab.REGISTERED, activity=MEETING)
    assert latest_statement_id(actor=cast.rep_a1, verb=vocab.REGISTERED.iri, object_iri=MEETING.iri) == first.id

    stored = on_other_server(
        other_server_env,
        "from kizuna.accounts.models import User; from kizuna.records import vocab; "
        "from kizuna.records.services import statement_record; "
        "from kizuna.ops.tests.test_cross_server_caches import MEETING; "
        f"st, _ = statement_record(actor=User.objects.get(pk={cast.rep_a1.pk}), verb=vocab.REGISTERED, "
        "activity=MEETING); print(st.id)",
    )
    # A registration withdrawn here must void the statement the other server stored, not the first one again.
    assert str(latest_statement_id(actor=cast.rep_a1, verb=vocab.REGISTERED.iri, object_iri=MEETING.iri)) == stored


def test_published_content_kept_in_this_servers_memory_is_dropped_when_another_server_changes_content(
    cast, other_server_env
):
    def fresh_user() -> Any:  # each request reads the tokens anew
        from kizuna.accounts.models import User

        return User.objects.get(pk=cast.rep_a1.pk)

    calls: list[int] = []
    assert repcache.kept_shared(fresh_user(), "outline:1", lambda: calls.append(1) or "v1") == "v1"
    assert repcache.kept_shared(fresh_user(), "outline:1", lambda: calls.append(1) or "v2") == "v1"  # kept

    on_other_server(other_server_env, "from kizuna.ops.repcache import content_changed; content_changed()")
    assert repcache.kept_shared(fresh_user(), "outline:1", lambda: calls.append(1) or "v2") == "v2"
    assert calls == [1, 1]


def test_a_reps_page_values_kept_in_the_shared_cache_are_dropped_when_another_server_records_for_them(
    cast, other_server_env
):
    def page(value: str) -> Any:
        from kizuna.accounts.models import User

        return repcache.kept(User.objects.get(pk=cast.rep_a1.pk), {"next_up": lambda: value})["next_up"]

    assert page("before") == "before"
    assert page("ignored") == "before"  # kept in Redis
    on_other_server(other_server_env, f"from kizuna.ops.repcache import rep_changed; rep_changed({cast.rep_a1.pk})")
    assert page("after") == "after"
