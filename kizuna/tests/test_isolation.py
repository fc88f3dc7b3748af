"""Partner isolation, walked over every route: partner B's manager and rep get 404 for partner A's objects.

An app whose routes take ids of its own adds partner A's objects for them in
``kizuna/<app>/tests/isolation.py``: a function ``partner_a_objects(cast) ->
{url parameter: value}`` (and, if it has them, a set ``PUBLIC_ROUTES``). Routes that
no browser session reaches, only a token of one agency (SCIM), are listed in its
``TOKEN_ROUTES`` with the test that walks them with partner B's token instead.

Every URL pattern and API route that takes an object id is visited with an id of
partner A's (or of content that only partner A may see). A route with a parameter
this test does not know fails the test, so a new route cannot skip the walk.
"""

import importlib
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import publish_course

# Parameters that are not object ids, with the reason they are safe.
NOT_OBJECT_IDS = {
    "term",  # xAPI vocabulary terms: public descriptions
    "uidb64",  # invitation links: checked by a signed token, not by partner
    "token",
    "number",  # a version number, always paired with a key
}
# Routes whose parameters name public things, not partner data.
PUBLIC_ROUTES = {
    "api:problem_type",  # the description of an API error type
}


def app_isolation_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("kizuna."):
            try:
                modules.append(importlib.import_module(f"{config.name}.tests.isolation"))
            except ModuleNotFoundError as exc:
                if not f"{config.name}.tests.isolation".startswith(exc.name or "-"):
                    raise  # the module exists but fails to import
    return modules


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                # Django's admin answers only to staff accounts, which partner people never are.
                continue
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            found += walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.pattern.converters:
            name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
            found.append((name or prefix + str(p.pattern), p))
    return found


@pytest.fixture
def a_world(cast: Any, article_course: Any) -> dict[str, Any]:
    """Objects that belong to partner A, or content that only partner A may see."""
    from kizuna.api.services import api_token_create
    from kizuna.catalog.models import Assignment
    from kizuna.media.models import Video
    from kizuna.ops.storage import stored_save

    video = Video.objects.create(title="A only", status=Video.Status.READY, duration_seconds=10)
    video.mp4.save(f"videos/{video.key}/video.mp4", ContentFile(b"\x00" * 2048))
    video.poster.save(f"videos/{video.key}/poster.jpg", ContentFile(b"\xff\xd8\xff"))
    # Packaged as HLS: the master, one rendition's playlist and the phone MP4 (media:video_hls_*, video_phone).
    video.hls_renditions = [{"name": "360p", "width": 640, "height": 360, "bandwidth": 600000}]
    video.phone_mp4.save(f"videos/{video.key}/phone.mp4", ContentFile(b"\x00" * 1024))
    video.hls_master.save(f"videos/{video.key}/hls/master.m3u8", ContentFile(b"#EXTM3U\n360p/index.m3u8\n"))
    stored_save(f"videos/{video.key}/hls/360p/index.m3u8", b"#EXTM3U\n#EXT-X-ENDLIST\n")
    course = publish_course(
        cast,
        slug="a-only",
        title="A専用",
        lessons=[{"kind": "video", "title": "動画", "video": video}],
        due_in_days=3,
        team=cast.team_a1,
    )
    version = course.latest_version
    token, _raw = api_token_create(user=cast.manager_a, name="A", created_by=cast.admin)
    return {
        "partner_id": cast.partner_a.pk,
        "team_id": cast.team_a1.pk,
        "person_id": cast.rep_a1.pk,
        "rep_id": cast.rep_a1.pk,
        "course_id": course.pk,
        "module_id": course.modules.get().pk,
        "lesson_id": version.lessons.get().pk,
        "draft_lesson_id": course.modules.get().lessons.get().pk,
        "assignment_id": Assignment.objects.filter(partner=cast.partner_a).first().pk,
        "video_id": video.pk,
        "key": video.key,
        "token_id": token.pk,
        "rendition": "360p",
        "hls_file": "index.m3u8",
    }


def url_for(name: str, pattern: URLPattern, world: dict[str, Any]) -> str:
    kwargs = {}
    for param in pattern.pattern.converters:
        assert param in world, f"Route {name} takes '{param}': add partner A's object for it to the isolation walk"
        value = world[param]
        if param == "lesson_id" and "studio" in str(pattern.pattern):
            value = world["draft_lesson_id"]
        if param == "key" and "course" in str(pattern.pattern):
            value = world["course_key"]
        kwargs[param] = value
    return reverse(name, kwargs=kwargs)


def status_for(client: Client, url: str) -> int:
    response = client.get(url)
    if response.status_code == 405:
        if url.startswith("/api/"):
            # A valid body, so that only the access check can refuse it.
            body = {"id": str(uuid.uuid4()), "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"}}
            response = client.post(url, body, content_type="application/json")
        else:
            response = client.post(url, {})
    return response.status_code


def test_every_object_route_refuses_partner_b(cast: Any, a_world: Any) -> None:
    from kizuna.catalog.models import Course, PublishedLesson

    course = Course.objects.get(pk=a_world["course_id"])
    a_world["course_key"] = course.key
    public_routes = set(PUBLIC_ROUTES)
    owners: dict[str, str] = {}
    for module in app_isolation_modules():
        objects = module.partner_a_objects(cast)
        for key, value in objects.items():
            # One URL parameter name means one kind of object: two apps giving different objects for the
            # same name would test one app's routes with the other's ids.
            if key.endswith(("_id", "_key", "_slug", "_token")) and key in owners and a_world.get(key) != value:
                raise AssertionError(f"{module.__name__} and {owners[key]} both name a URL parameter {key!r}")
            owners.setdefault(key, module.__name__)
        a_world.update(objects)
        public_routes |= set(getattr(module, "PUBLIC_ROUTES", ()))
        public_routes |= set(getattr(module, "TOKEN_ROUTES", {}))
    routes = walk(get_resolver().url_patterns)
    assert len(routes) > 15, "the walk found suspiciously few routes"
    checked = []
    for name, pattern in routes:
        if set(pattern.pattern.converters) & NOT_OBJECT_IDS or name in public_routes:
            continue
        url = url_for(name, pattern, a_world)
        for outsider in (cast.manager_b, cast.rep_b1):
            client = Client()
            client.force_login(outsider)
            assert status_for(client, url) == 404, f"{outsider.email} reached {name} ({url})"
        # The id is real: someone on A's side (or the principal) gets something other than 404.
        insiders = (cast.admin, cast.author, cast.manager_a, cast.rep_a1)
        statuses = []
        for insider in insiders:
            client = Client()
            client.force_login(insider)
            statuses.append(status_for(client, url))
        assert any(s != 404 for s in statuses), f"nobody could reach {name} ({url}); is the test id right?"
        checked.append(name)
    assert PublishedLesson.objects.filter(pk=a_world["lesson_id"]).exists()
    assert {
        "learning:lesson",
        "learning:course",
        "analytics:rep_detail",
        "orgs:partner",
        "orgs:person",
        "media:video_stream",
        "media:video_hls_master",
        "media:video_hls_file",
        "media:video_phone",
    } <= set(checked)


# Pages without an id that list a person's own things: partner B's people see nothing of partner A's there.
OWN_LIST_PAGES = ["/learn/courses/", "/incentives/"]


def test_own_list_pages_show_partner_b_nothing_of_partner_a(cast: Any, a_world: Any) -> None:
    from datetime import date

    from kizuna.incentives.services import incentive_rule_create

    incentive_rule_create(
        partner=cast.partner_a,
        kind="course_on_time",
        amount_yen=12_345,
        effective_from=date(2000, 1, 1),
        created_by=cast.admin,
    )
    a_only = ("A専用", "12,345")
    for url in OWN_LIST_PAGES:
        insider = Client()
        insider.force_login(cast.rep_a1)
        response = insider.get(url)
        assert response.status_code == 200
        assert any(text in response.content.decode() for text in a_only), f"{url} shows A's rep nothing of A"
        outsider = Client()
        outsider.force_login(cast.rep_b1)
        response = outsider.get(url)
        assert response.status_code == 200
        assert not any(text in response.content.decode() for text in a_only), f"{cast.rep_b1.email} saw A in {url}"


def test_the_lrs_gives_a_partner_scoped_credential_nothing_of_another_partner(cast: Any) -> None:
    """/xapi/ takes no ids in its paths (they are parameters), so the walk above cannot reach it: this walks it."""
    import base64
    import json
    from urllib.parse import urlencode

    from kizuna.lrs.services import lrs_credential_create

    def client_for(partner_code: str) -> dict[str, str]:
        credential, secret = lrs_credential_create(name=partner_code, partner_code=partner_code)
        token = base64.b64encode(f"{credential.key}:{secret}".encode()).decode()
        return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}

    a, b = client_for("partner-a"), client_for("partner-b")
    client = Client()
    actor = {"mbox": f"mailto:{cast.rep_a1.email}"}
    statement = {
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "urn:a"},
    }
    response = client.post("/xapi/statements", statement, content_type="application/json", headers=a)
    assert response.status_code == 200
    [a_id] = response.json()
    # Reading: by id, by query, by agent; writing: about A's rep, over A's id.
    assert client.get("/xapi/statements", {"statementId": a_id}, headers=b).status_code == 404
    assert client.get("/xapi/statements", {"statementId": a_id}, headers=a).status_code == 200
    agent = json.dumps({"mbox": f"mailto:{cast.rep_a1.email}"})
    verb = statement["verb"]["id"]
    for query in ({"agent": agent}, {"agent": agent, "verb": verb}, {"activity": "urn:a"}, {"verb": verb}):
        assert client.get("/xapi/statements", query, headers=b).json()["statements"] == [], query
        assert [s["id"] for s in client.get("/xapi/statements", query, headers=a).json()["statements"]] == [a_id]
    assert client.get("/xapi/statements", headers=b).json()["statements"] == []
    about_a = {**statement, "object": {"id": "urn:b"}}
    assert client.post("/xapi/statements", about_a, content_type="application/json", headers=b).status_code == 403
    reuse = {**statement, "id": a_id, "actor": {"mbox": "mailto:x@example.com"}}
    assert client.post("/xapi/statements", reuse, content_type="application/json", headers=b).status_code == 409
    # Documents: A's state is not B's to read, and B may not write documents about A's rep.
    state = {"activityId": "urn:a", "agent": json.dumps(actor), "stateId": "s"}
    url = "/xapi/activities/state?" + urlencode(state)
    assert client.put(url, {"v": 1}, content_type="application/json", headers=a).status_code == 204
    assert client.get(url, headers=b).status_code == 404
    assert client.put(url, {"v": 2}, content_type="application/json", headers=b).status_code == 403
    assert client.get(url, headers=a).json() == {"v": 1}
