"""Statements from outside about our courses, SCORM package lessons and cmi5 courses count as our own do
(kizuna/lrs/feed.py, kizuna/lrs/matching.py): progress, assignments, certification evidence, points, learning time;
once; only for what the rep may open; and a partner's credential only for its own reps."""

import io
import uuid
from typing import Any
from urllib.parse import quote

import pytest

from conftest import publish_course
from kizuna.certification.models import Evidence
from kizuna.cmi5.tests.courses import AuDef, CourseDef, cmi5_zip
from kizuna.gamification.models import EventKind, PointAward
from kizuna.lrs.models import LrsStatement
from kizuna.packages.tests.packages import Spec, package_zip
from kizuna.records.models import CourseProgress, LearningDay, LessonProgress, Statement

ADL = "http://adlnet.gov/expapi/verbs/"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"


def about(rep: Any, verb: str, iri: str, **more: Any) -> dict[str, Any]:
    st = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:{rep.email}"},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": iri},
    }
    st.update(more)
    return st


def course_iri(course: Any) -> str:
    from kizuna.catalog.selectors import course_iri as iri

    return iri(course)


def lesson_iri(lesson: Any) -> str:
    from kizuna.catalog.selectors import lesson_activity_data

    return lesson_activity_data(lesson)["iri"]


def package_course(cast: Any, spec: Spec | None = None, slug: str = "scorm") -> tuple[Any, Any, Any]:
    from kizuna.packages.services import package_import

    package = package_import(upload=io.BytesIO(package_zip(spec)), author=cast.author)
    course = publish_course(
        cast, slug=slug, title="SCORM", lessons=[{"kind": "package", "title": "P", "content_id": package.pk}]
    )
    return course, course.latest_version.lessons.get(), package


def cmi5_course(cast: Any, spec: CourseDef | None = None) -> tuple[Any, Any, Any]:
    from kizuna.cmi5.services import cmi5_course_import

    cmi5 = cmi5_course_import(upload=io.BytesIO(cmi5_zip(spec)), author=cast.author)
    course = publish_course(
        cast, slug="cmi5", title="cmi5", lessons=[{"kind": "cmi5", "title": "C", "content_id": cmi5.pk}]
    )
    return course, course.latest_version.lessons.get(), cmi5


def sco_iri(lesson: Any, sco: Any) -> str:
    return f"{lesson_iri(lesson)}/sco/{quote(sco.identifier, safe='')}"


def lesson_done(rep: Any, lesson: Any) -> bool:
    return LessonProgress.objects.filter(user=rep, lesson=lesson, completed_at__isnull=False).exists()


# --- courses ------------------------------------------------------------------------------------------------


def test_a_course_completed_elsewhere_finishes_the_assignment_with_evidence_and_points(
    cast, article_course, principal_lrs
):
    st = about(cast.rep_a1, ADL + "completed", course_iri(article_course))
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    progress = CourseProgress.objects.get(user=cast.rep_a1, course=article_course)
    assert progress.completed_at is not None
    assert progress.lessons_completed == 0  # the lessons are left as they were
    assert Evidence.objects.filter(rep=cast.rep_a1, kind="course", course_id=article_course.pk).exists()
    assert PointAward.objects.filter(user=cast.rep_a1, kind=EventKind.COURSE_FINISHED).count() == 1


def test_a_course_completion_counts_once_however_often_it_is_told(cast, article_course, principal_lrs):
    st = about(cast.rep_a1, ADL + "completed", course_iri(article_course))
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert principal_lrs.post("/xapi/statements", st).status_code == 200  # the same statement again
    again = about(cast.rep_a1, ADL + "passed", course_iri(article_course))
    assert principal_lrs.post("/xapi/statements", again).status_code == 200
    assert Statement.objects.filter(actor=cast.rep_a1, verb=ADL + "completed").count() == 1
    assert PointAward.objects.filter(user=cast.rep_a1, kind=EventKind.COURSE_FINISHED).count() == 1
    assert LrsStatement.objects.count() == 2


def test_a_failed_pass_of_a_course_does_not_finish_it(cast, article_course, principal_lrs):
    st = about(cast.rep_a1, ADL + "passed", course_iri(article_course), result={"success": False})
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert not CourseProgress.objects.filter(user=cast.rep_a1, completed_at__isnull=False).exists()


def test_time_in_a_course_reported_elsewhere_is_learning_time(cast, article_course, principal_lrs):
    st = about(cast.rep_a1, ADL + "progressed", course_iri(article_course), result={"duration": "PT90S"})
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert CourseProgress.objects.get(user=cast.rep_a1, course=article_course).time_spent_seconds == 90
    assert LearningDay.objects.get(user=cast.rep_a1).seconds == 90


def test_a_course_the_rep_may_not_open_is_stored_but_credits_nothing(cast, article_course, principal_lrs):
    st = about(cast.rep_b1, ADL + "completed", course_iri(article_course))  # assigned to partner A only
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert LrsStatement.objects.filter(statement_id=st["id"]).exists()
    assert not Statement.objects.filter(actor=cast.rep_b1).exists()


def test_a_partners_credential_credits_its_own_reps_and_is_refused_another_partners(
    cast, article_course, partner_a_lrs, partner_b_lrs
):
    st = about(cast.rep_a1, ADL + "completed", course_iri(article_course))
    assert partner_b_lrs.post("/xapi/statements", st).status_code == 403
    assert not Statement.objects.filter(actor=cast.rep_a1).exists() and not LrsStatement.objects.exists()
    assert partner_a_lrs.post("/xapi/statements", st).status_code == 200
    assert CourseProgress.objects.get(user=cast.rep_a1, course=article_course).completed_at is not None


# --- SCORM packages -----------------------------------------------------------------------------------------


def test_a_sco_completed_elsewhere_completes_a_single_sco_package_lesson(cast, principal_lrs):
    course, lesson, package = package_course(cast)
    st = about(cast.rep_a1, ADL + "completed", sco_iri(lesson, package.scos.get()))
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert lesson_done(cast.rep_a1, lesson)
    assert CourseProgress.objects.get(user=cast.rep_a1, course=course).completed_at is not None
    assert PointAward.objects.filter(user=cast.rep_a1, kind=EventKind.LESSON_COMPLETED).count() == 1


def test_a_multi_sco_package_lesson_completes_only_once_every_sco_is_done_elsewhere(cast, principal_lrs):
    spec = Spec(scos=[("sco-1", "1", "sco1/index.html"), ("sco-2", "2", "sco2/index.html")])
    _course, lesson, package = package_course(cast, spec, slug="multi")
    first, second = package.scos.order_by("position")
    principal_lrs.post("/xapi/statements", about(cast.rep_a1, ADL + "completed", sco_iri(lesson, first)))
    assert not lesson_done(cast.rep_a1, lesson)
    principal_lrs.post("/xapi/statements", about(cast.rep_a1, ADL + "completed", sco_iri(lesson, second)))
    assert lesson_done(cast.rep_a1, lesson)


def test_a_sco_passed_elsewhere_records_the_packages_score_for_certification(cast, principal_lrs):
    _course, lesson, package = package_course(cast, Spec(standard="scorm2004", mastery="0.8"), slug="s2004")
    result = {"success": True, "score": {"scaled": 0.9}}
    st = about(cast.rep_a1, ADL + "passed", sco_iri(lesson, package.scos.get()), result=result)
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert lesson_done(cast.rep_a1, lesson)
    evidence = Evidence.objects.get(rep=cast.rep_a1, kind="quiz", ref=str(lesson.key))
    assert evidence.passed and evidence.score == pytest.approx(0.9)


def test_a_package_lesson_passed_elsewhere_by_its_lesson_id_records_the_score(cast, principal_lrs):
    _course, lesson, _package = package_course(cast)
    st = about(cast.rep_a1, ADL + "failed", lesson_iri(lesson), result={"success": False, "score": {"scaled": 0.4}})
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert not lesson_done(cast.rep_a1, lesson)
    evidence = Evidence.objects.get(rep=cast.rep_a1, kind="quiz", ref=str(lesson.key))
    assert not evidence.passed and evidence.score == pytest.approx(0.4)


def test_time_in_a_sco_reported_elsewhere_is_learning_time_on_the_lesson(cast, principal_lrs):
    _course, lesson, package = package_course(cast)
    st = about(cast.rep_a1, ADL + "progressed", sco_iri(lesson, package.scos.get()), result={"duration": "PT60S"})
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 60


# --- cmi5 ---------------------------------------------------------------------------------------------------


def test_a_cmi5_course_satisfied_in_another_lms_completes_the_lesson_by_its_publisher_id(cast, principal_lrs):
    _course, lesson, cmi5 = cmi5_course(cast)
    context = {
        "contextActivities": {
            "grouping": [{"id": cmi5.publisher_id}],
            "category": [{"id": CMI5_CATEGORY}],
        }
    }
    st = about(cast.rep_a1, SATISFIED, "https://other-lms.example/course/77", context=context)
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert lesson_done(cast.rep_a1, lesson)


def test_a_cmi5_course_satisfied_by_our_lms_id_completes_the_lesson(cast, principal_lrs, settings):
    _course, lesson, cmi5 = cmi5_course(cast)
    st = about(cast.rep_a1, SATISFIED, f"{settings.SITE_URL}/xapi/cmi5/{cmi5.key}")
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert lesson_done(cast.rep_a1, lesson)


def test_an_au_outcome_elsewhere_counts_only_when_it_meets_the_moveon_of_a_one_au_course(cast, principal_lrs, settings):
    spec = CourseDef(aus=[AuDef("https://example.com/courses/intro/au/1", "1", "au1/index.html", move_on="Passed")])
    _course, lesson, cmi5 = cmi5_course(cast, spec)
    au = f"{settings.SITE_URL}/xapi/cmi5/{cmi5.key}/au/{cmi5.aus.get().position}"
    principal_lrs.post("/xapi/statements", about(cast.rep_a1, ADL + "completed", au))
    assert not lesson_done(cast.rep_a1, lesson)  # moveOn Passed: a completion is not enough
    result = {"success": True, "score": {"scaled": 0.85}}
    principal_lrs.post("/xapi/statements", about(cast.rep_a1, ADL + "passed", au, result=result))
    assert lesson_done(cast.rep_a1, lesson)
    assert Evidence.objects.get(rep=cast.rep_a1, kind="quiz", ref=str(lesson.key)).score == pytest.approx(0.85)


def test_an_au_outcome_elsewhere_in_a_course_of_many_aus_waits_for_the_course(cast, principal_lrs, settings):
    spec = CourseDef(
        aus=[
            AuDef("https://example.com/c/au/a", "A", "a/index.html", move_on="Completed", mastery=None),
            AuDef("https://example.com/c/au/b", "B", "b/index.html", move_on="Completed", mastery=None),
        ]
    )
    _course, lesson, cmi5 = cmi5_course(cast, spec)
    au = f"{settings.SITE_URL}/xapi/cmi5/{cmi5.key}/au/{cmi5.aus.order_by('position').first().position}"
    principal_lrs.post("/xapi/statements", about(cast.rep_a1, ADL + "completed", au))
    assert not lesson_done(cast.rep_a1, lesson)
    terminated = about(cast.rep_a1, ADL + "terminated", au, result={"duration": "PT100S"})
    principal_lrs.post("/xapi/statements", terminated)
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 100


def test_a_cmi5_course_of_another_partner_credits_nothing(cast, principal_lrs, settings):
    _course, lesson, cmi5 = cmi5_course(cast)  # assigned to partner A
    st = about(cast.rep_b1, SATISFIED, f"{settings.SITE_URL}/xapi/cmi5/{cmi5.key}")
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert not lesson_done(cast.rep_b1, lesson)
    assert not Statement.objects.filter(actor=cast.rep_b1).exists()


def test_time_reported_elsewhere_counts_whole_up_to_an_hour_and_once(cast, article_course, principal_lrs):
    """Another system's report is not capped at one page report's 120 s: it is told in parts of at most 120 s
    ending at the report's moment, so every rule of time spent sees [t - duration, t] (README: time reported
    by other systems)."""
    lesson = article_course.latest_version.lessons.order_by("position").first()
    st = about(cast.rep_a1, ADL + "progressed", lesson_iri(lesson), result={"duration": "PT30M"})
    assert principal_lrs.post("/xapi/statements", st).status_code == 200
    assert principal_lrs.post("/xapi/statements", st).status_code == 200  # sent again: counted once
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 1800
    assert LearningDay.objects.get(user=cast.rep_a1).seconds == 1800
    parts = list(Statement.objects.filter(actor=cast.rep_a1, verb=ADL + "progressed").order_by("timestamp"))
    assert len(parts) == 15 and all(p.duration_seconds == 120 for p in parts)
    assert str(parts[-1].id) == st["id"]  # the last part keeps the report's id
    gaps = {(b.timestamp - a.timestamp).total_seconds() for a, b in zip(parts, parts[1:], strict=False)}
    assert gaps == {120.0}  # back to back: the parts cover the reported half hour once

    before = CourseProgress.objects.get(user=cast.rep_a1, course=article_course).time_spent_seconds
    long = about(cast.rep_a1, ADL + "progressed", course_iri(article_course), result={"duration": "PT5H"})
    assert principal_lrs.post("/xapi/statements", long).status_code == 200
    after = CourseProgress.objects.get(user=cast.rep_a1, course=article_course).time_spent_seconds
    assert after - before == 3600  # an hour at most per report
