"""The issue's "done when", end to end for cmi5: a course package of two AUs in a block (one judged by a
masteryScore) is imported with ``manage.py package_import``, launched through the real launch page, played
through the fetch URL and the LRS with the session's token, resumed on a second device from the AU's own state
document (a new session of the same registration), and then counts toward the rep's assignment, a certification
(the course and a minimum score in it), points, learning time and item analysis."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from kizuna.agreements.models import LearningTimeDay
from kizuna.certification.models import Holding
from kizuna.gamification.models import PointAward, RepScore
from kizuna.lrs.models import LrsStatement
from kizuna.packages.tests.test_counts import PHONE_UA, certification_on, imported_course
from kizuna.records.models import CourseProgress, LearningDay, LessonProgress, Statement

from .courses import AuDef, CourseDef, cmi5_zip
from .test_launch import ADL, Au

pytestmark = pytest.mark.django_db

COURSE = CourseDef(
    course_id="https://courses.example.com/objections",
    title="反論への応え方",
    aus=[
        AuDef("https://courses.example.com/objections/au/listen", "まず聴く", "listen/index.html", block="urn:b1"),
        AuDef(
            "https://courses.example.com/objections/au/recap",
            "まとめ",
            "recap/index.html",
            move_on="Completed",
            mastery=None,
            block="urn:b1",
        ),
    ],
    blocks={"urn:b1": "第1部"},
)


def launch(rep: Any, lesson: Any, au: Any) -> Au:
    """The rep taps the AU on a device (a fresh session: another device each time); the AU starts up."""
    device = Client(HTTP_USER_AGENT=PHONE_UA)
    device.force_login(rep)
    response = device.post(f"/learn/lessons/{lesson.pk}/au/{au.pk}/launch/")
    assert response.status_code == 302
    assert device.get(urlsplit(response["Location"]).path).status_code == 200  # the AU's page, behind the check
    player = Au(Client(), response["Location"])  # the AU talks to the LMS with its token only
    player.start()
    assert player.send(player.statement("initialized")).status_code == 200
    return player


def state(player: Au, value: Any = None) -> Any:
    """The AU's own bookmark in the State API (what a real AU resumes from), written or read."""
    params = {
        "activityId": player.activity_id,
        "agent": json.dumps(player.actor),
        "registration": player.registration,
        "stateId": "bookmark",
    }
    if value is not None:
        url = "/xapi/activities/state?" + urlencode(params)
        response = player.client.put(url, json.dumps(value), content_type="application/json", **player.headers())
        assert response.status_code == 204, response.content
        return None
    response = player.client.get("/xapi/activities/state", params, **player.headers())
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def answer(player: Au, question: str, response: str) -> None:
    st = player.statement(ADL + "answered", {"response": response, "success": True}, defined=False)
    st["object"] = {
        "id": f"{player.activity_id}/{question}",
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "name": {"ja-JP": question},
            "interactionType": "choice",
            "correctResponsesPattern": [response],
        },
    }
    assert player.send(st).status_code == 200


def test_a_cmi5_course_counts_everywhere_and_resumes_on_another_device(cast: Any, tmp_path: Path) -> None:
    course, lesson = imported_course(cast, tmp_path, cmi5_zip(COURSE), slug="cmi5-e2e")
    cert = certification_on(cast, course, lesson, min_score=80)
    from kizuna.cmi5.selectors import cmi5_course_by_id

    listen, recap = cmi5_course_by_id(lesson.content_id).aus.order_by("position")
    rep = cast.rep_a1

    phone = launch(rep, lesson, listen)
    answer(phone, "q-listen-first", "b")
    state(phone, {"slide": 4, "answers": {"q-listen-first": "b"}})
    assert phone.send(phone.statement("terminated", {"duration": "PT40S"})).status_code == 200

    pc = launch(rep, lesson, listen)  # another device: a new session of the same registration
    assert pc.registration == phone.registration and pc.auth != phone.auth
    assert state(pc) == {"slide": 4, "answers": {"q-listen-first": "b"}}
    sent = pc.send(
        pc.statement("completed", {"completion": True, "duration": "PT50S"}),
        pc.statement("passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT50S"}),
        pc.statement("terminated", {"duration": "PT50S"}),
    )
    assert sent.status_code == 200, sent.content
    assert not LessonProgress.objects.filter(user=rep, lesson=lesson, completed_at__isnull=False).exists()

    recap_au = launch(rep, lesson, recap)
    answer(recap_au, "q-recap", "a")
    recap_au.send(
        recap_au.statement("completed", {"completion": True, "duration": "PT45S"}),
        recap_au.statement("terminated", {"duration": "PT45S"}),
    )

    satisfied = [
        row.data["object"]["definition"]["type"] for row in LrsStatement.objects.filter(verb__endswith="/satisfied")
    ]
    assert sorted(satisfied) == [
        "https://w3id.org/xapi/cmi5/activitytype/block",
        "https://w3id.org/xapi/cmi5/activitytype/course",
    ]
    assert LessonProgress.objects.get(user=rep, lesson=lesson).completed_at is not None
    assert CourseProgress.objects.get(user=rep, course=course).completed_at is not None  # the assignment
    result = Statement.objects.get(actor=rep, verb__endswith="/passed", object_iri__endswith="/v1")
    assert result.result == {"success": True, "score": {"scaled": 0.9}}
    assert Holding.objects.get(rep=rep, certification=cert).status == Holding.Status.CERTIFIED
    assert {"lesson_completed", "course_finished"} <= set(
        PointAward.objects.filter(user=rep).values_list("kind", flat=True)
    )
    assert RepScore.objects.get(user=rep).points > 0
    assert sum(LearningDay.objects.filter(user=rep).values_list("seconds", flat=True)) == pytest.approx(135)
    assert sum(LearningTimeDay.objects.filter(rep=rep).values_list("seconds", flat=True)) > 0
    manager = Client()
    manager.force_login(cast.manager_a)
    page = manager.get(f"/cmi5/lessons/{lesson.pk}/items/").content.decode()
    assert "q-listen-first" in page and "q-recap" in page


def test_a_cmi5_score_under_the_minimum_does_not_certify(cast: Any, tmp_path: Path) -> None:
    course, lesson = imported_course(cast, tmp_path, cmi5_zip(COURSE), slug="cmi5-low")
    cert = certification_on(cast, course, lesson, min_score=95)
    from kizuna.cmi5.selectors import cmi5_course_by_id

    listen, recap = cmi5_course_by_id(lesson.content_id).aus.order_by("position")
    for au in (listen, recap):
        player = launch(cast.rep_a1, lesson, au)
        player.send(
            player.statement("completed", {"completion": True, "duration": "PT5S"}),
            *(
                [player.statement("passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT5S"})]
                if au == listen
                else []
            ),
            player.statement("terminated", {"duration": "PT5S"}),
        )
    assert CourseProgress.objects.get(user=cast.rep_a1, course=course).completed_at is not None
    assert Holding.objects.get(rep=cast.rep_a1, certification=cert).status == Holding.Status.IN_PROGRESS


def test_a_failed_au_that_needs_a_pass_records_the_lessons_failed_result_until_a_retake_passes(
    cast: Any, tmp_path: Path
) -> None:
    from kizuna.certification.models import Evidence
    from kizuna.cmi5.selectors import cmi5_course_by_id
    from kizuna.records import vocab as records_vocab

    course, lesson = imported_course(cast, tmp_path, cmi5_zip(COURSE), slug="cmi5-failed")
    cert = certification_on(cast, course, lesson, min_score=80)
    listen, recap = cmi5_course_by_id(lesson.content_id).aus.order_by("position")

    def results() -> list[tuple[str, Any]]:
        rows = Statement.objects.filter(actor=cast.rep_a1, lesson_id=lesson.pk, object_type__endswith="/lesson")
        return [
            (verb.rsplit("/", 1)[-1], result)
            for verb, result in rows.filter(verb__in=[records_vocab.PASSED.iri, records_vocab.FAILED.iri])
            .order_by("seq")
            .values_list("verb", "result")
        ]

    player = launch(cast.rep_a1, lesson, listen)  # CompletedAndPassed, masteryScore 0.8
    sent = player.send(
        player.statement("failed", {"success": False, "score": {"scaled": 0.4}, "duration": "PT5S"}),
        player.statement("terminated", {"duration": "PT5S"}),
    )
    assert sent.status_code == 200, sent.content
    assert results() == [("failed", {"success": False, "score": {"scaled": 0.4}})]
    evidence = Evidence.objects.get(rep=cast.rep_a1, kind=Evidence.Kind.QUIZ, ref=str(lesson.key))
    assert evidence.passed is False and evidence.score == 0.4
    # A failed on an AU that completing satisfies (moveOn Completed) is no failure of the course.
    player = launch(cast.rep_a1, lesson, recap)
    player.send(
        player.statement("completed", {"completion": True, "duration": "PT5S"}),
        player.statement("failed", {"success": False, "duration": "PT5S"}),
        player.statement("terminated", {"duration": "PT5S"}),
    )
    assert len(results()) == 1
    assert Holding.objects.get(rep=cast.rep_a1, certification=cert).status == Holding.Status.IN_PROGRESS
    # The retake passes: the course is satisfied and the lesson's result is now a pass with the new score.
    player = launch(cast.rep_a1, lesson, listen)
    player.send(
        player.statement("completed", {"completion": True, "duration": "PT5S"}),
        player.statement("passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT5S"}),
        player.statement("terminated", {"duration": "PT5S"}),
    )
    assert [verb for verb, _result in results()] == ["failed", "passed"]
    assert results()[-1][1] == {"success": True, "score": {"scaled": 0.9}}
    assert Holding.objects.get(rep=cast.rep_a1, certification=cert).status == Holding.Status.CERTIFIED
