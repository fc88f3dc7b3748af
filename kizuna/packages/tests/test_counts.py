"""The issue's "done when", end to end for SCORM 1.2 and 2004: a package laid out as authoring tools export it is
imported with ``manage.py package_import``, played through the real player and commit endpoints (as scorm-again
sends its commits), resumed on a second device (a fresh session), and then counts toward the rep's assignment,
a certification (a course requirement and a minimum score in the package), points, learning time and item
analysis."""

import json
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.agreements.models import LearningTimeDay
from kizuna.catalog import services as catalog
from kizuna.catalog.models import Course
from kizuna.certification import services as certification
from kizuna.certification.forms import RequirementForm
from kizuna.certification.models import Holding
from kizuna.gamification.models import PointAward, RepScore
from kizuna.packages.selectors import package_item_analysis
from kizuna.records.models import CourseProgress, LearningDay, LessonProgress, Statement

from .authoring import captivate_2004, storyline_12

pytestmark = pytest.mark.django_db
PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
_CONFIG = re.compile(r'<script id="package-config" type="application/json">(.*?)</script>', re.S)


def imported_course(cast: Any, tmp_path: Path, data: bytes, *, slug: str) -> tuple[Any, Any]:
    """A course with the package imported by the command, published and assigned (required) to partner A."""
    course = catalog.course_create(author=cast.author, title="パッケージ研修", slug=slug)
    catalog.module_create(course=course, title="はじめに")
    zip_path = tmp_path / f"{slug}.zip"
    zip_path.write_bytes(data)
    out = StringIO()
    call_command("package_import", str(zip_path), course=course.pk, stdout=out)
    assert out.getvalue().strip().isdigit()
    catalog.course_publish(course=course, publisher=cast.author)
    catalog.assignment_create(
        course=course,
        assigned_by=cast.admin,
        required=True,
        due_at=timezone.now() + timedelta(days=7),
        partner=cast.partner_a,
    )
    course = Course.objects.get(pk=course.pk)
    return course, course.latest_version.lessons.get()


def certification_on(cast: Any, course: Any, lesson: Any, *, min_score: int) -> Any:
    """A certification requiring the course and a minimum score in its package lesson, offered as the form does."""
    form = RequirementForm()
    assert str(lesson.key) in dict(form.fields["quiz"].choices), "the requirement form offers the scored lesson"
    cert = certification.certification_create(
        slug=f"cert-{course.slug}", name="価格説明の認定", created_by=cast.admin, validity_days=365, reminder_days=30
    )
    certification.requirement_add(certification=cert, kind="course", label=course.title, course=course)
    certification.requirement_add(
        certification=cert,
        kind="quiz",
        quiz_key=lesson.key,
        label=form.quizzes[str(lesson.key)].title,
        min_score=min_score,
    )
    return cert


def device(rep: Any) -> Client:
    """A fresh browser session of the rep: another device."""
    client = Client(HTTP_USER_AGENT=PHONE_UA)
    client.force_login(rep)
    return client


def launch(client: Client, lesson: Any, sco: Any) -> dict[str, Any]:
    """Open the SCO's player page and return the player's configuration (commit URL, data model to resume)."""
    response = client.get(reverse("packages:sco_play", args=[lesson.pk, sco.pk]))
    assert response.status_code == 200
    match = _CONFIG.search(response.content.decode())
    assert match
    return json.loads(match.group(1))


def send(client: Client, config: dict[str, Any], data: dict[str, str], *, terminate: bool = False) -> None:
    """One commit as scorm-again sends it (flattened JSON; the terminating one with terminate=true)."""
    url = config["commitUrl"] + ("&terminate=true" if terminate else "")
    response = client.post(url, json.dumps(data), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"result": True, "errorCode": 0}


def assert_it_counts(cast: Any, course: Any, lesson: Any, cert: Any, *, seconds: float, items: set[str]) -> None:
    rep = cast.rep_a1
    assert LessonProgress.objects.get(user=rep, lesson=lesson).completed_at is not None
    # The assignment: the assigned course is finished.
    assert CourseProgress.objects.get(user=rep, course=course).completed_at is not None
    # The certification: the course and the minimum score in the package are both met.
    assert Holding.objects.get(rep=rep, certification=cert).status == Holding.Status.CERTIFIED
    # Points: the lesson and the course.
    kinds = set(PointAward.objects.filter(user=rep).values_list("kind", flat=True))
    assert {"lesson_completed", "course_finished"} <= kinds
    assert RepScore.objects.get(user=rep).points > 0
    # Learning time: the sessions' time, in the rep's day and in the agreement's learning time.
    assert sum(LearningDay.objects.filter(user=rep).values_list("seconds", flat=True)) == pytest.approx(seconds)
    assert sum(LearningTimeDay.objects.filter(rep=rep).values_list("seconds", flat=True)) > 0
    # Item analysis: the manager of the rep's agency sees each interaction.
    rows = {row.name: row for row in package_item_analysis(cast.manager_a, lesson)}
    assert set(rows) == items and all(row.answers == 1 and row.correct_share == 1.0 for row in rows.values())
    page = device(cast.manager_a).get(reverse("packages:package_items", args=[lesson.pk]))
    assert page.status_code == 200 and all(name in page.content.decode() for name in items)


def test_a_storyline_style_scorm12_package_counts_everywhere_and_resumes_on_another_device(
    cast: Any, tmp_path: Path
) -> None:
    course, lesson = imported_course(cast, tmp_path, storyline_12(mastery=80), slug="scorm12-e2e")
    cert = certification_on(cast, course, lesson, min_score=80)
    chapter1, chapter2, handout = lesson_scos(lesson)
    assert handout.is_asset and chapter1.launch_data == "chapter=1" and chapter1.mastery_score == 80

    phone = device(cast.rep_a1)
    config = launch(phone, lesson, chapter1)
    assert config["cmi"]["core"]["entry"] == "ab-initio" and config["launchUrl"].endswith("?player=html5")
    assert config["cmi"]["launch_data"] == "chapter=1" and config["cmi"]["student_data"]["mastery_score"] == "80"
    send(phone, config, {"cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "slide-4"})
    send(
        phone,
        config,
        {
            "cmi.core.lesson_status": "incomplete",
            "cmi.core.lesson_location": "slide-4",
            "cmi.suspend_data": "v=3|slides=1,2,3,4|q1=b",
            "cmi.core.session_time": "00:00:40",
            "cmi.core.exit": "suspend",
        },
        terminate=True,
    )

    pc = device(cast.rep_a1)  # another device: nothing shared with the phone but the account
    config = launch(pc, lesson, chapter1)
    core = config["cmi"]["core"]
    assert (core["entry"], core["lesson_location"]) == ("resume", "slide-4")
    assert config["cmi"]["suspend_data"] == "v=3|slides=1,2,3,4|q1=b" and core["total_time"] == "0000:00:40"
    send(
        pc,
        config,
        {
            "cmi.core.lesson_status": "completed",  # the LMS judges it against the mastery score (90 ≥ 80)
            "cmi.core.score.raw": "90",
            "cmi.core.score.min": "0",
            "cmi.core.score.max": "100",
            "cmi.core.session_time": "00:00:50",
            "cmi.core.exit": "",
            "cmi.interactions.0.id": "q-value-first",
            "cmi.interactions.0.type": "choice",
            "cmi.interactions.0.student_response": "b",
            "cmi.interactions.0.correct_responses.0.pattern": "b",
            "cmi.interactions.0.result": "correct",
        },
        terminate=True,
    )
    assert not LessonProgress.objects.filter(user=cast.rep_a1, lesson=lesson, completed_at__isnull=False).exists()

    config = launch(phone, lesson, chapter2)
    send(
        phone,
        config,
        {
            "cmi.core.lesson_status": "passed",
            "cmi.core.score.raw": "84",
            "cmi.core.session_time": "00:00:45",
            "cmi.interactions.0.id": "q-discount",
            "cmi.interactions.0.type": "true-false",
            "cmi.interactions.0.student_response": "f",
            "cmi.interactions.0.correct_responses.0.pattern": "f",
            "cmi.interactions.0.result": "correct",
        },
        terminate=True,
    )
    launch(phone, lesson, handout)  # an asset is done once opened

    assert_it_counts(cast, course, lesson, cert, seconds=135, items={"q-value-first", "q-discount"})
    result = Statement.objects.get(actor=cast.rep_a1, verb__endswith="/passed", object_iri__endswith="/v1")
    assert result.result == {"success": True, "score": {"scaled": 0.87}}


def test_a_scorm12_score_under_the_mastery_score_fails_and_does_not_certify(cast: Any, tmp_path: Path) -> None:
    course, lesson = imported_course(cast, tmp_path, storyline_12(mastery=80), slug="scorm12-fail")
    cert = certification_on(cast, course, lesson, min_score=80)
    chapter1 = lesson_scos(lesson)[0]
    phone = device(cast.rep_a1)
    config = launch(phone, lesson, chapter1)
    send(phone, config, {"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "60"}, terminate=True)
    state = chapter1.states.get()
    assert (state.completion, state.success) == ("completed", "failed")
    assert not Holding.objects.filter(rep=cast.rep_a1, certification=cert, status=Holding.Status.CERTIFIED).exists()
    assert not LessonProgress.objects.filter(user=cast.rep_a1, lesson=lesson, completed_at__isnull=False).exists()


def test_a_captivate_style_scorm2004_package_counts_everywhere_and_resumes_on_another_device(
    cast: Any, tmp_path: Path
) -> None:
    course, lesson = imported_course(cast, tmp_path, captivate_2004(mastery="0.8"), slug="scorm2004-e2e")
    cert = certification_on(cast, course, lesson, min_score=80)
    listen, answer = lesson_scos(lesson)
    assert listen.href == "content/listen/index.html?slide=1" and listen.mastery_score == 80 and listen.depth == 1

    phone = device(cast.rep_a1)
    config = launch(phone, lesson, listen)
    assert config["cmi"]["entry"] == "ab-initio" and config["cmi"]["scaled_passing_score"] == "0.8"
    send(
        phone,
        config,
        {
            "cmi.completion_status": "incomplete",
            "cmi.location": "3",
            "cmi.suspend_data": '{"v":1,"slide":3,"answers":{"q1":"a"}}',
            "cmi.session_time": "PT40S",
            "cmi.exit": "suspend",
        },
        terminate=True,
    )

    pc = device(cast.rep_a1)
    config = launch(pc, lesson, listen)
    assert (config["cmi"]["entry"], config["cmi"]["location"]) == ("resume", "3")
    assert config["cmi"]["suspend_data"] == '{"v":1,"slide":3,"answers":{"q1":"a"}}'
    send(
        pc,
        config,
        {
            "cmi.completion_status": "completed",
            "cmi.success_status": "unknown",  # the LMS judges cmi.score.scaled against scaled_passing_score
            "cmi.score.scaled": "0.9",
            "cmi.score.raw": "9",
            "cmi.score.min": "0",
            "cmi.score.max": "10",
            "cmi.session_time": "PT50S",
            "cmi.exit": "normal",
            "cmi.interactions.0.id": "q-listen",
            "cmi.interactions.0.type": "choice",
            "cmi.interactions.0.learner_response": "a[,]c",
            "cmi.interactions.0.correct_responses.0.pattern": "a[,]c",
            "cmi.interactions.0.result": "correct",
        },
        terminate=True,
    )
    config = launch(pc, lesson, answer)
    send(
        pc,
        config,
        {
            "cmi.completion_status": "completed",
            "cmi.success_status": "passed",
            "cmi.score.scaled": "0.8",
            "cmi.session_time": "PT45S",
            "cmi.interactions.0.id": "q-evidence",
            "cmi.interactions.0.type": "fill-in",
            "cmi.interactions.0.learner_response": "導入事例",
            "cmi.interactions.0.correct_responses.0.pattern": "導入事例",
            "cmi.interactions.0.result": "correct",
        },
        terminate=True,
    )

    assert listen.states.get().success == "passed"
    assert_it_counts(cast, course, lesson, cert, seconds=135, items={"q-listen", "q-evidence"})


def lesson_scos(lesson: Any) -> list[Any]:
    from kizuna.packages.models import Sco

    return list(Sco.objects.filter(package_id=lesson.content_id).order_by("position"))
