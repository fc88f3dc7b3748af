"""A scenario lesson saved on the phone and played without a connection: what travels to the phone (teaching
content, no scores or top rep's marks), and what the phone sends later (the start and each choice, named by
the start statement's id) recorded once, at the moments they happened, counted as a play online is."""

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kizuna.records.models import LessonProgress, Statement
from kizuna.scenarios import vocab
from kizuna.scenarios.models import Attempt, ScenarioVersion

from .helpers import REFERENCE_PATH

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _version(lesson: Any) -> ScenarioVersion:
    return ScenarioVersion.objects.get(pk=lesson.content_id)


def _rep(client: Client, cast: Any) -> Client:
    client.force_login(cast.rep_a1)
    return client


def test_the_pack_of_a_scenario_lesson_holds_its_page_the_player_and_what_plays_it(client, cast, scenario_lesson):
    version = _version(scenario_lesson)
    pack = _rep(client, cast).get(f"/pwa/lessons/{scenario_lesson.pk}/pack/").json()
    assert pack["refused"] == "" and pack["kind"] == "scenario"
    assert pack["urls"] == [
        f"/learn/lessons/{scenario_lesson.pk}/",
        f"/play/scenarios/{version.pk}/?lesson={scenario_lesson.pk}",
        f"/play/scenarios/{version.pk}/offline/?lesson={scenario_lesson.pk}",
    ]
    # Reached from a saved course and from the next-up as well.
    bundle = client.get("/pwa/next-up/pack/").json()
    assert scenario_lesson.pk in [p["lesson"] for p in bundle["packs"]]
    course = client.get(f"/pwa/courses/{scenario_lesson.version.course_id}/pack/").json()
    assert [p["lesson"] for p in course["packs"]] == [scenario_lesson.pk]


def test_the_phone_gets_the_moments_and_the_why_but_no_scores_or_top_reps_marks(client, cast, scenario_lesson):
    version = _version(scenario_lesson)
    response = _rep(client, cast).get(f"/play/scenarios/{version.pk}/offline/?lesson={scenario_lesson.pk}")
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    data = response.json()
    assert data["start"] == "opening" and data["lesson"] == scenario_lesson.pk
    opening = data["nodes"]["opening"]
    first = next(c for c in opening["choices"] if c["key"] == "apologize-first")
    assert first["commentary"].startswith("自分ならこう考えます") and first["next"] == "vague-apology"
    assert opening["remaining"] >= 1
    ends = [n for n in data["nodes"].values() if n["kind"] == "end"]
    assert ends and all(n["outcome"] and n["remaining"] == 0 for n in ends)
    text = json.dumps(data)
    for secret in ('"score"', '"reference"', '"correct"', '"value_tags"', '"question"'):
        assert secret not in text, secret


def test_the_phone_graph_and_its_steps_are_for_those_who_may_play_the_lesson(client, cast, scenario_lesson):
    version = _version(scenario_lesson)
    before = Statement.objects.count()
    for outsider in (cast.rep_b1, cast.manager_b):
        client.force_login(outsider)
        assert client.get(f"/play/scenarios/{version.pk}/offline/?lesson={scenario_lesson.pk}").status_code == 404
        step = client.post(
            f"/play/scenarios/{version.pk}/offline/step/",
            {"lesson": scenario_lesson.pk, "start": str(uuid.uuid4())},
            **JSON,
        )
        assert step.status_code == 404
    assert Statement.objects.count() == before


def _send(client: Client, version: Any, lesson: Any, start: uuid.UUID, started_at: Any, **choice: Any) -> Any:
    data = {"lesson": lesson.pk, "start": str(start), "started_at": started_at.isoformat()}
    data.update({k: v.isoformat() if hasattr(v, "isoformat") else str(v) for k, v in choice.items()})
    return client.post(f"/play/scenarios/{version.pk}/offline/step/", data, **JSON)


def test_a_play_sent_later_is_recorded_once_at_its_moments_and_completes_the_lesson(client, cast, scenario_lesson):
    version = _version(scenario_lesson)
    _rep(client, cast)
    started_at = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    start = uuid.uuid4()
    steps = []
    node = "opening"
    from kizuna.scenarios.scoring import Graph

    graph = Graph(version.graph)
    for index, key in enumerate(REFERENCE_PATH):
        steps.append(
            {"node": node, "choice": key, "statement_id": uuid.uuid4(), "at": started_at + timedelta(minutes=index + 1)}
        )
        node = graph.choices[node][key]["next"]
    assert graph.is_end(node)
    counts = []
    for _twice in range(2):  # sent by a page and by Background Sync at once: nothing more
        assert _send(client, version, scenario_lesson, start, started_at).json() == {
            "recorded": True,
            "finished": False,
        }
        for step in steps:
            response = _send(client, version, scenario_lesson, start, started_at, **step)
            assert response.status_code == 200, response.content
        body = response.json()
        counts.append(Statement.objects.count())
    assert counts[0] == counts[1]
    assert body["finished"] and body["scored"]
    assert "受注" in body["message"] and "トップ営業との一致率 100%" in body["message"]
    attempt = Attempt.objects.get(rep=cast.rep_a1)
    assert body["url"] == f"/play/attempts/{attempt.pk}/"
    assert attempt.started_at == started_at and attempt.finished_at == steps[-1]["at"]
    assert attempt.lesson_id == scenario_lesson.pk and attempt.alignment == 1.0
    answered = Statement.objects.filter(actor=cast.rep_a1, verb="http://adlnet.gov/expapi/verbs/answered")
    assert sorted((s.id, s.timestamp) for s in answered) == sorted((s["statement_id"], s["at"]) for s in steps)
    assert Statement.objects.filter(actor=cast.rep_a1, verb=vocab.ATTEMPTED.iri).get().id == start
    done = Statement.objects.filter(actor=cast.rep_a1, verb="http://adlnet.gov/expapi/verbs/completed")
    assert all(s.timestamp == steps[-1]["at"] for s in done) and done.count() >= 2  # the scenario, the lesson
    progress = LessonProgress.objects.get(user=cast.rep_a1, lesson_id=scenario_lesson.pk)
    assert progress.completed_at == steps[-1]["at"]


def test_what_cannot_be_recorded_is_refused_with_the_reason_in_the_reps_language(client, cast, scenario_lesson):
    version = _version(scenario_lesson)
    _rep(client, cast)
    before = Statement.objects.count()
    now = timezone.now()
    start = uuid.uuid4()
    no_start = client.post(f"/play/scenarios/{version.pk}/offline/step/", {"lesson": scenario_lesson.pk}, **JSON)
    assert no_start.status_code == 400 and "開始" in no_start.json()["error"]
    old = _send(client, version, scenario_lesson, start, now - timedelta(days=30))
    assert old.status_code == 400 and "14 日" in old.json()["error"]
    assert _send(client, version, scenario_lesson, start, now).status_code == 200
    behind = _send(
        client,
        version,
        scenario_lesson,
        start,
        now,
        node="vague-apology",
        choice="x",
        statement_id=uuid.uuid4(),
        at=now,
    )
    assert behind.status_code == 400 and behind.json()["recorded"] is False
    bad_time = _send(
        client, version, scenario_lesson, start, now, node="opening", choice="ask-details", statement_id=uuid.uuid4(),
        at="someday",
    )  # fmt: skip
    assert bad_time.status_code == 400 and "時刻" in bad_time.json()["error"]
    # Another rep cannot take over this play by its start id.
    client.force_login(cast.rep_a2)
    taken = _send(
        client,
        version,
        scenario_lesson,
        start,
        now,
        node="opening",
        choice="ask-details",
        statement_id=uuid.uuid4(),
        at=now,
    )
    assert taken.status_code == 400
    assert Statement.objects.count() == before + 1  # the start only


def test_the_result_speaks_english_to_an_english_speaking_rep(client, cast, scenario_lesson):
    cast.rep_a1.language = "en"
    cast.rep_a1.save(update_fields=["language"])
    version = _version(scenario_lesson)
    _rep(client, cast)
    now = timezone.now()
    response = client.post(f"/play/scenarios/{version.pk}/offline/step/", {"lesson": scenario_lesson.pk}, **JSON)
    assert "Start the scenario again" in response.json()["error"]
    assert _send(client, version, scenario_lesson, uuid.uuid4(), now).status_code == 200


def test_the_start_page_carries_the_offline_player_for_a_rep_in_a_lesson_only(client, cast, scenario_lesson):
    version = _version(scenario_lesson)
    page = _rep(client, cast).get(f"/play/scenarios/{version.pk}/?lesson={scenario_lesson.pk}").content.decode()
    assert 'id="scenario-offline"' in page and "scenarios/offline.js" in page
    assert f'data-step="/play/scenarios/{version.pk}/offline/step/"' in page
    client.force_login(cast.admin)
    page = client.get(f"/play/scenarios/{version.pk}/").content.decode()
    assert 'id="scenario-offline"' not in page
