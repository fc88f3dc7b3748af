"""Launching AUs and the cmi5 rules, through the real endpoints: the launch, the one-time fetch URL, the LRS's
State and Statements resources with the session's auth-token, moveOn, satisfied, abandoned and waived."""

import json
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client

from kizuna.cmi5 import launching
from kizuna.cmi5.models import Registration, Session
from kizuna.lrs.models import LrsDocument, LrsStatement
from kizuna.records.models import LessonProgress

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"


class Au:
    """The AU's side: what a real AU does with the launch URL (as the browser test's AU does in JavaScript)."""

    def __init__(self, client: Client, url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        self.client, self.url = client, url
        self.endpoint = query["endpoint"][0]
        self.fetch_url = query["fetch"][0]
        self.actor = json.loads(query["actor"][0])
        self.registration = query["registration"][0]
        self.activity_id = query["activityId"][0]
        self.auth = ""
        self.template: dict[str, Any] = {}

    def fetch(self) -> dict[str, Any]:
        return self.client.post(urlsplit(self.fetch_url).path).json()

    def headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Basic {self.auth}", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}

    def start(self) -> None:
        self.auth = self.fetch()["auth-token"]
        response = self.client.get(
            "/xapi/activities/state",
            {
                "activityId": self.activity_id,
                "agent": json.dumps(self.actor),
                "registration": self.registration,
                "stateId": "LMS.LaunchData",
            },
            **self.headers(),
        )
        assert response.status_code == 200
        self.launch_data = json.loads(response.content)
        self.template = self.launch_data["contextTemplate"]

    def statement(self, verb: str, result: dict[str, Any] | None = None, *, defined: bool = True) -> dict[str, Any]:
        context = json.loads(json.dumps(self.template))
        context["registration"] = self.registration
        category = []
        if defined:
            category.append({"id": launching.CATEGORY_CMI5})
        if result and ("success" in result or "completion" in result):
            category.append({"id": launching.CATEGORY_MOVEON})
        if category:
            context["contextActivities"]["category"] = category
        st: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "actor": self.actor,
            "verb": {"id": verb if verb.startswith("http") else ADL + verb},
            "object": {"id": self.activity_id},
            "context": context,
        }
        if result is not None:
            st["result"] = result
        return st

    def send(self, *statements: dict[str, Any]) -> Any:
        return self.client.post(
            "/xapi/statements", json.dumps(list(statements)), content_type="application/json", **self.headers()
        )


def _launch(cast: Any, lesson: Any, au: Any, rep: Any = None) -> tuple[Session, Au]:
    rep = rep or cast.rep_a1
    session, url = launching.cmi5_launch(
        rep=rep, lesson=lesson, au=au, site="http://testserver", return_url="http://testserver/back"
    )
    return session, Au(Client(), url)


def _verbs(registration: str) -> list[str]:
    return [
        row.verb.rsplit("/", 1)[-1] for row in LrsStatement.objects.filter(registration=registration).order_by("seq")
    ]


def test_a_launch_makes_the_registration_launch_data_and_launched_statement(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    au = cmi5.aus.get()
    session, client_au = _launch(cast, lesson, au)
    assert client_au.url.startswith(f"http://testserver/learn/lessons/{lesson.pk}/cmi5/au1/index.html?endpoint=")
    assert client_au.endpoint == "http://testserver/xapi/"
    assert client_au.actor == {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver", "name": str(cast.rep_a1.public_id)},
    } or client_au.actor["account"]["name"] == str(cast.rep_a1.public_id)
    assert client_au.activity_id != au.publisher_id  # the LMS's id, never the publisher's
    launched = LrsStatement.objects.get(verb=ADL + "launched")
    ext = launched.data["context"]["extensions"]
    assert ext[launching.EXT_SESSION] == str(session.session_id)
    assert ext[launching.EXT + "moveon"] == "CompletedAndPassed" and ext[launching.EXT + "masteryscore"] == 0.8
    assert ext[launching.EXT + "launchmode"] == "Normal"
    assert launched.data["context"]["contextActivities"]["grouping"][0]["id"] == au.publisher_id
    client_au.start()
    assert (
        client_au.launch_data["launchMode"] == "Normal"
        and client_au.launch_data["returnURL"] == "http://testserver/back"
    )
    assert client_au.template["extensions"][launching.EXT_SESSION] == str(session.session_id)
    assert LessonProgress.objects.filter(user=cast.rep_a1, lesson_id=lesson.pk).exists()


def test_a_fetch_key_gives_one_token_and_only_to_its_session(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    _session, au = _launch(cast, lesson, cmi5.aus.get())
    assert "auth-token" in au.fetch()
    again = au.fetch()
    assert again["error-code"] == "1" and "auth-token" not in again
    unknown = Client().post("/cmi5/fetch/not-a-key/")
    assert unknown.status_code == 200 and unknown.json()["error-code"] == "2"
    assert Client().get(urlsplit(au.fetch_url).path).status_code == 405
    # Partner B's people, signed in, get nothing from A's fetch key either (the key alone is the credential).
    _s2, second = _launch(cast, lesson, cmi5.aus.get())
    outsider = Client()
    outsider.force_login(cast.rep_b1)
    assert "auth-token" in outsider.post(urlsplit(second.fetch_url).path).json()  # the key is what counts …
    assert outsider.post(urlsplit(second.fetch_url).path).json()["error-code"] == "1"  # … once


def test_a_session_token_reaches_only_its_own(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    _session, au = _launch(cast, lesson, cmi5.aus.get())
    au.start()
    other_agent = {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver", "name": str(cast.rep_b1.public_id)},
    }
    state = {
        "activityId": au.activity_id,
        "agent": json.dumps(other_agent),
        "registration": au.registration,
        "stateId": "x",
    }
    assert au.client.get("/xapi/activities/state", state, **au.headers()).status_code == 403
    own = {**state, "agent": json.dumps(au.actor), "stateId": "LMS.LaunchData"}
    from urllib.parse import urlencode

    put = au.client.put(
        f"/xapi/activities/state?{urlencode(own)}", b"{}", content_type="application/json", **au.headers()
    )
    assert put.status_code == 403  # LMS.LaunchData is the LMS's
    mine = {**own, "stateId": "bookmark"}
    ok = au.client.put(
        f"/xapi/activities/state?{urlencode(mine)}", b'{"p": 3}', content_type="application/json", **au.headers()
    )
    assert ok.status_code == 204
    page = au.client.get("/xapi/statements", {"agent": json.dumps(other_agent)}, **au.headers())
    assert page.status_code == 403
    assert LrsDocument.objects.filter(document_id="bookmark").count() == 1
    wrong = Client().post(
        "/xapi/statements",
        "[]",
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic a3pzX25vcGU6bm8=",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )
    assert wrong.status_code == 401


def test_the_au_completes_and_passes_and_the_lms_satisfies_the_course(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    session, au = _launch(cast, lesson, cmi5.aus.get())
    au.start()
    assert au.send(au.statement("initialized")).status_code == 200
    sent = au.send(
        au.statement("completed", {"completion": True, "duration": "PT1M"}),
        au.statement("passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT1M"}),
        au.statement("terminated", {"duration": "PT2M"}),
    )
    assert sent.status_code == 200, sent.content
    verbs = _verbs(au.registration)
    assert verbs == ["launched", "initialized", "completed", "passed", "terminated", "satisfied"]
    satisfied = LrsStatement.objects.get(verb=launching.VERBS["satisfied"])
    assert satisfied.data["object"]["definition"]["type"] == launching.TYPE_COURSE
    assert satisfied.data["object"]["id"] != cmi5.publisher_id
    assert satisfied.data["context"]["extensions"][launching.EXT_SESSION] == str(session.session_id)
    lp = LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk)
    assert lp.completed_at is not None and lp.time_spent_seconds >= 60
    # The session is over: nothing more is taken, and its token is dead.
    late = au.send(au.statement("http://adlnet.gov/expapi/verbs/experienced", defined=False))
    assert late.status_code == 401


@pytest.mark.parametrize(
    ("first", "then", "why"),
    [
        ([], [("completed", {"completion": True, "duration": "PT1S"})], "first statement"),
        ([("initialized", None)], [("initialized", None)], "sent already in this session"),
        (
            [("initialized", None)],
            [("failed", {"success": False, "duration": "PT1S"}), ("passed", {"success": True, "duration": "PT1S"})],
            "at most one of passed and failed",
        ),
        (
            [("initialized", None)],
            [("passed", {"success": True, "score": {"scaled": 0.5}, "duration": "PT1S"})],
            "below the masteryScore",
        ),
        (
            [("initialized", None)],
            [("failed", {"success": False, "score": {"scaled": 0.95}, "duration": "PT1S"})],
            "reaches the masteryScore",
        ),
        ([("initialized", None)], [("passed", {"success": False, "duration": "PT1S"})], "result.success true"),
        ([("initialized", None)], [("completed", {"completion": True})], "need result.duration"),
        ([("initialized", None)], [("terminated", {"duration": "PT1S", "success": True})], "carry no result.success"),
        ([("initialized", None)], [("launched", None)], "may not send"),
        ([("initialized", None)], [("https://w3id.org/xapi/adl/verbs/satisfied", None)], "may not send"),
        (
            [("initialized", None), ("terminated", {"duration": "PT1S"})],
            [("completed", {"completion": True, "duration": "PT1S"})],
            "",
        ),
    ],
)
def test_statements_that_break_the_cmi5_rules_are_refused(
    cast: Any, cmi5_lesson: Any, first: list[Any], then: list[Any], why: str
) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    _session, au = _launch(cast, lesson, cmi5.aus.get())
    au.start()
    for verb, result in first:
        assert au.send(au.statement(verb, result)).status_code == 200
    before = LrsStatement.objects.count()
    response = au.send(*[au.statement(verb, result) for verb, result in then])
    assert response.status_code in (401, 403), response.content
    assert why in response.content.decode()
    assert LrsStatement.objects.count() == before  # the whole batch is refused


def test_completed_and_passed_count_once_per_registration_and_failed_may_not_follow_passed(
    cast: Any, cmi5_lesson: Any
) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    au_row = cmi5.aus.get()
    _s, au = _launch(cast, lesson, au_row)
    au.start()
    au.send(au.statement("initialized"))
    assert au.send(au.statement("passed", {"success": True, "duration": "PT1S"})).status_code == 200
    _s2, again = _launch(cast, lesson, au_row)  # a new session, same registration
    again.start()
    again.send(again.statement("initialized"))
    refused = again.send(again.statement("failed", {"success": False, "duration": "PT1S"}))
    assert refused.status_code == 403 and "may not follow 'passed'" in refused.content.decode()
    refused = again.send(again.statement("passed", {"success": True, "duration": "PT1S"}))
    assert refused.status_code == 403 and "in this registration" in refused.content.decode()
    assert again.send(again.statement("completed", {"completion": True, "duration": "PT1S"})).status_code == 200


def test_cmi5_allowed_statements_pass_between_initialized_and_terminated(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    _s, au = _launch(cast, lesson, cmi5.aus.get())
    au.start()
    au.send(au.statement("initialized"))
    ok = au.send(au.statement(ADL + "experienced", {"extensions": {launching.EXT_PROGRESS: 50}}, defined=False))
    assert ok.status_code == 200
    no_session = au.statement(ADL + "experienced", defined=False)
    del no_session["context"]["extensions"]
    assert au.send(no_session).status_code == 403


def test_a_new_launch_abandons_the_open_session(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    first, au = _launch(cast, lesson, cmi5.aus.get())
    au.start()
    au.send(au.statement("initialized"))
    _launch(cast, lesson, cmi5.aus.get())
    first.refresh_from_db()
    assert first.abandoned_at is not None
    abandoned = LrsStatement.objects.get(verb=launching.VERBS["abandoned"])
    assert abandoned.data["context"]["extensions"][launching.EXT_SESSION] == str(first.session_id)
    assert "duration" in abandoned.data["result"]
    assert au.send(au.statement(ADL + "experienced", defined=False)).status_code == 401
    assert LrsStatement.objects.filter(verb=launching.VERBS["abandoned"]).count() == 1


def test_moveon_satisfies_a_block_and_the_course_and_notapplicable_counts_at_registration(
    cast: Any, cmi5_block_lesson: Any
) -> None:
    _course, lesson, cmi5 = cmi5_block_lesson
    a, b, c = (cmi5.aus.get(publisher_id=f"https://example.com/c/au/{x}") for x in "abc")
    assert (c.move_on, a.move_on, b.move_on) == ("NotApplicable", "Completed", "Passed")
    _s, au = _launch(cast, lesson, a)
    registration = Registration.objects.get(rep=cast.rep_a1)
    assert registration.satisfied == []  # the block needs A and B; C alone does not satisfy the course
    au.start()
    au.send(au.statement("initialized"))
    au.send(au.statement("completed", {"completion": True, "duration": "PT1S"}))
    assert not LrsStatement.objects.filter(verb=launching.VERBS["satisfied"]).exists()
    status = launching.cmi5_au_waive(registration=registration, au=b, reason="Administrative")
    assert status.waived_at is not None
    waived = LrsStatement.objects.get(verb=launching.VERBS["waived"])
    assert waived.data["result"]["extensions"][launching.EXT_REASON] == "Administrative"
    satisfied = [
        row.data["object"]["definition"]["type"]
        for row in LrsStatement.objects.filter(verb=launching.VERBS["satisfied"]).order_by("seq")
    ]
    assert satisfied == [launching.TYPE_BLOCK, launching.TYPE_COURSE]
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None
    with pytest.raises(launching.Cmi5Error):
        launching.cmi5_au_waive(registration=registration, au=b, reason="again")


def test_the_launch_page_refuses_non_reps_and_redirects_reps_to_the_au(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    url = f"/learn/lessons/{lesson.pk}/au/{cmi5.aus.get().pk}/launch/"
    rep = Client()
    rep.force_login(cast.rep_a1)
    response = rep.post(url)
    assert response.status_code == 302 and "endpoint=" in response["Location"]
    assert rep.get(urlsplit(response["Location"]).path).status_code == 200  # the AU's file, behind the access check
    manager = Client()
    manager.force_login(cast.manager_a)
    assert "endpoint=" not in manager.post(url)["Location"]
    assert Session.objects.count() == 1


def test_a_session_never_terminated_is_abandoned_once_its_token_expires(cast: Any, cmi5_lesson: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    _course, lesson, cmi5 = cmi5_lesson
    session, au = _launch(cast, lesson, cmi5.aus.get())
    au.start()
    au.send(au.statement("initialized"))
    assert launching.cmi5_sessions_abandon_stale() == 0
    later = timezone.now() + launching.SESSION_MAX_AGE + timedelta(minutes=1)
    assert launching.cmi5_sessions_abandon_stale(now=later) == 1
    assert launching.cmi5_sessions_abandon_stale(now=later) == 0
    session.refresh_from_db()
    assert session.abandoned_at is not None
    assert LrsStatement.objects.filter(verb=launching.VERBS["abandoned"]).count() == 1


def test_cmi5_waive_command_waives_an_au_and_satisfies_the_course(cast: Any, cmi5_lesson: Any) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _course, lesson, cmi5 = cmi5_lesson
    au = cmi5.aus.get()
    with pytest.raises(CommandError, match="No registration"):
        call_command("cmi5_waive", "--rep", cast.rep_a1.email, "--au", au.publisher_id)
    _launch(cast, lesson, au)
    call_command("cmi5_waive", "--rep", cast.rep_a1.email, "--au", au.publisher_id, "--reason", "Tested Out")
    waived = LrsStatement.objects.get(verb=launching.VERBS["waived"])
    assert waived.data["result"] == {
        "success": True,
        "completion": True,
        "extensions": {launching.EXT_REASON: "Tested Out"},
    }
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None
    with pytest.raises(CommandError):  # waived already
        call_command("cmi5_waive", "--rep", cast.rep_a1.email, "--au", au.publisher_id)


def test_in_browse_mode_the_au_sends_only_initialized_and_terminated(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    _session, url = launching.cmi5_launch(
        rep=cast.rep_a1,
        lesson=lesson,
        au=cmi5.aus.get(),
        site="http://testserver",
        return_url="http://testserver/back",
        launch_mode="Browse",
    )
    au = Au(Client(), url)
    au.start()
    assert au.launch_data["launchMode"] == "Browse"
    assert au.send(au.statement("initialized")).status_code == 200
    refused = au.send(au.statement("completed", {"completion": True, "duration": "PT1S"}))
    assert refused.status_code == 403 and "Browse mode" in refused.content.decode()
    assert au.send(au.statement("terminated", {"duration": "PT1S"})).status_code == 200


def test_answers_an_au_reports_feed_the_lessons_item_analysis(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    _session, au = _launch(cast, lesson, cmi5.aus.get())
    au.start()
    au.send(au.statement("initialized"))
    answer = au.statement(ADL + "answered", {"response": "b", "success": True}, defined=False)
    answer["object"] = {
        "id": au.activity_id + "/q1",
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "name": {"ja-JP": "正しいのはどれ?"},
            "interactionType": "choice",
            "correctResponsesPattern": ["b"],
            "choices": [{"id": "a"}, {"id": "b"}],
        },
    }
    assert au.send(answer).status_code == 200
    assert au.send(answer).status_code == 200  # a retry records nothing twice
    admin = Client()
    admin.force_login(cast.admin)
    page = admin.get(f"/cmi5/lessons/{lesson.pk}/items/").content.decode()
    assert "正しいのはどれ?" in page and "choice" in page and "100%" in page
    outsider = Client()
    outsider.force_login(cast.manager_b)
    assert outsider.get(f"/cmi5/lessons/{lesson.pk}/items/").status_code == 404


def test_a_rep_reviews_a_finished_au_and_nothing_it_sends_counts(cast: Any, cmi5_lesson: Any) -> None:
    from kizuna.records import vocab as records_vocab
    from kizuna.records.models import Statement

    _course, lesson, cmi5 = cmi5_lesson
    au_row = cmi5.aus.get()
    rep = Client()
    rep.force_login(cast.rep_a1)
    launch_url = f"/learn/lessons/{lesson.pk}/au/{au_row.pk}/launch/"
    lesson_url = f"/learn/lessons/{lesson.pk}/"
    assert "cmi5-review" not in rep.get(lesson_url).content.decode()
    # Review is refused before the AU is finished: no session, back to the lesson with the reason.
    refused = rep.post(launch_url, {"mode": "Review"}, follow=True)
    assert refused.redirect_chain[-1][0] == lesson_url
    assert "復習モードで開けるのは" in refused.content.decode()
    assert not Session.objects.exists()
    _session, au = _launch(cast, lesson, au_row)
    au.start()
    au.send(
        au.statement("initialized"),
        au.statement("completed", {"completion": True, "duration": "PT1M"}),
        au.statement("passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT1M"}),
        au.statement("terminated", {"duration": "PT2M"}),
    )
    page = rep.get(lesson_url).content.decode()
    assert "cmi5-review" in page and "復習モードで開く（結果は記録されません）" in page
    response = rep.post(launch_url, {"mode": "Review"})
    assert response.status_code == 302
    review = Au(Client(), response["Location"])
    review.start()
    assert review.launch_data["launchMode"] == "Review"
    session = Session.objects.latest("pk")
    assert session.launch_mode == "Review"
    launched = LrsStatement.objects.filter(verb=launching.VERBS["launched"]).order_by("seq").last()
    assert launched.data["context"]["extensions"][launching.EXT + "launchmode"] == "Review"
    assert review.send(review.statement("initialized")).status_code == 200
    for verb, result in [
        ("completed", {"completion": True, "duration": "PT1S"}),
        ("passed", {"success": True, "score": {"scaled": 0.95}, "duration": "PT1S"}),
        ("failed", {"success": False, "score": {"scaled": 0.1}, "duration": "PT1S"}),
    ]:
        sent = review.send(review.statement(verb, result))
        assert sent.status_code == 403 and "Review mode" in sent.content.decode()
    assert review.send(review.statement("terminated", {"duration": "PT1S"})).status_code == 200
    assert _verbs(review.registration).count("completed") == 1
    assert _verbs(review.registration).count("passed") == 1
    assert not LrsStatement.objects.filter(verb=launching.VERBS["failed"]).exists()
    results = Statement.objects.filter(
        actor=cast.rep_a1, lesson_id=lesson.pk, verb__in=[records_vocab.PASSED.iri, records_vocab.FAILED.iri]
    )
    assert list(results.values_list("result", flat=True)) == [{"success": True, "score": {"scaled": 0.9}}]
    # Any mode other than Review and Browse asked for is a Normal launch.
    assert rep.post(launch_url, {"mode": "Whatever"}).status_code == 302
    assert Session.objects.latest("pk").launch_mode == "Normal"


def test_a_rep_browses_an_au_with_their_learner_preferences_and_moveon_ignores_it(cast: Any, cmi5_lesson: Any) -> None:
    """The lesson page's Browse launch (cmi5 10.0's launchMode), and the cmi5LearnerPreferences document the LMS
    serves in the rep's Agent Profile (section 11): the rep's language, and an audio choice the AU keeps."""
    _course, lesson, cmi5 = cmi5_lesson
    au_row = cmi5.aus.get()
    rep = Client()
    rep.force_login(cast.rep_a1)
    launch_url = f"/learn/lessons/{lesson.pk}/au/{au_row.pk}/launch/"
    assert "閲覧モードで開く（結果は記録されません）" in rep.get(f"/learn/lessons/{lesson.pk}/").content.decode()
    browse = Au(Client(), rep.post(launch_url, {"mode": "Browse"})["Location"])
    browse.start()
    assert browse.launch_data["launchMode"] == "Browse"

    def preferences(au: Au) -> Any:
        query = {"agent": json.dumps(au.actor), "profileId": "cmi5LearnerPreferences"}
        return au.client.get("/xapi/agents/profile", query, **au.headers())

    got = preferences(browse)
    assert got.status_code == 200
    assert json.loads(got.content) == {"languagePreference": "ja", "audioPreference": "on"}
    # The AU keeps the learner's audio choice; the rep's language setting changes the language.
    chosen = browse.client.put(
        "/xapi/agents/profile?" + urlencode({"agent": json.dumps(browse.actor), "profileId": "cmi5LearnerPreferences"}),
        json.dumps({"languagePreference": "ja", "audioPreference": "off"}),
        content_type="application/json",
        HTTP_IF_MATCH=got["ETag"],
        **browse.headers(),
    )
    assert chosen.status_code == 204
    assert browse.send(browse.statement("initialized")).status_code == 200
    refused = browse.send(browse.statement("completed", {"completion": True, "duration": "PT1S"}))
    assert refused.status_code == 403 and "Browse mode" in refused.content.decode()
    assert browse.send(browse.statement("terminated", {"duration": "PT1S"})).status_code == 200
    registration = Registration.objects.get()
    assert not registration.statuses.filter(completed_at__isnull=False).exists()  # moveOn saw nothing
    assert not LessonProgress.objects.filter(user=cast.rep_a1, completed_at__isnull=False).exists()
    cast.rep_a1.language = "en"
    cast.rep_a1.save(update_fields=["language"])
    normal = Au(Client(), rep.post(launch_url)["Location"])
    normal.start()
    assert normal.launch_data["launchMode"] == "Normal"
    assert json.loads(preferences(normal).content) == {"languagePreference": "en", "audioPreference": "off"}
