"""A SCO's commits: stored for resuming, turned into statements once, completing the lesson when every SCO is done."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kizuna.packages import runtime
from kizuna.packages.models import ScoState
from kizuna.records.models import LessonProgress, Statement

pytestmark = pytest.mark.django_db
ADL = "http://adlnet.gov/expapi/verbs/"


def commit(rep: Any, lesson: Any, sco: Any, session: uuid.UUID, data: dict, **kw: Any) -> ScoState:
    return runtime.sco_commit(rep=rep, lesson=lesson, sco=sco, session_id=session, data=data, **kw)


def verbs(rep: Any) -> list[str]:
    return [
        v.rsplit("/", 1)[-1] for v in Statement.objects.filter(actor=rep).order_by("seq").values_list("verb", flat=True)
    ]


PASSED_12 = {
    "cmi.core.lesson_status": "passed",
    "cmi.core.score.raw": "90",
    "cmi.core.score.min": "",
    "cmi.core.score.max": "100",
    "cmi.core.session_time": "00:02:05",
    "cmi.core.exit": "",
    "cmi.suspend_data": "slide=3",
    "cmi.interactions.0.id": "q-price",
    "cmi.interactions.0.type": "matching",
    "cmi.interactions.0.student_response": "1.a,2.b",
    "cmi.interactions.0.result": "correct",
    "cmi.interactions.0.correct_responses.0.pattern": "1.a,2.b",
}


def test_a_scorm12_commit_becomes_the_adl_statements_and_completes_a_single_sco_lesson(
    cast: Any, scorm12_lesson: Any
) -> None:
    _course, lesson, package = scorm12_lesson
    rep, sco, session, start = cast.rep_a1, package.scos.get(), uuid.uuid4(), timezone.now()
    commit(rep, lesson, sco, session, {"cmi.core.lesson_status": "incomplete"}, now=start)
    commit(rep, lesson, sco, session, PASSED_12, now=start + timedelta(minutes=5))
    assert verbs(rep) == [
        "initialized",
        "progressed",
        "progressed",
        "answered",
        "completed",
        "passed",
        "completed",
        "completed",
        "passed",  # the package's result, on the lesson itself (what a certification's minimum score reads)
    ]
    answered = Statement.objects.get(actor=rep, verb=ADL + "answered")
    assert answered.object_definition["interactionType"] == "matching"
    assert answered.object_definition["correctResponsesPattern"] == ["1[.]a[,]2[.]b"]
    assert answered.result == {"response": "1[.]a[,]2[.]b", "success": True}
    assert answered.lesson_id == lesson.pk
    passed = Statement.objects.get(actor=rep, verb=ADL + "passed", object_iri__contains="/sco/")
    assert passed.result["score"] == {"scaled": 0.9, "raw": 90.0, "max": 100.0}
    result = Statement.objects.get(actor=rep, verb=ADL + "passed", object_iri__endswith="/v1")
    assert result.result == {"success": True, "score": {"scaled": 0.9}} and result.lesson_id == lesson.pk
    lp = LessonProgress.objects.get(user=rep, lesson_id=lesson.pk)
    assert lp.completed_at is not None
    assert lp.time_spent_seconds == pytest.approx(125)  # two progressed statements: 120 s + 5 s


def test_a_repeated_commit_records_nothing_twice(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, package = scorm12_lesson
    rep, sco, session = cast.rep_a1, package.scos.get(), uuid.uuid4()
    later = timezone.now() + timedelta(minutes=5)
    commit(rep, lesson, sco, session, {}, now=later - timedelta(minutes=5))
    commit(rep, lesson, sco, session, PASSED_12, now=later)
    count = Statement.objects.count()
    commit(rep, lesson, sco, session, PASSED_12, now=later)
    commit(rep, lesson, sco, session, PASSED_12, terminate=True, now=later)
    commit(rep, lesson, sco, session, PASSED_12, terminate=True, now=later)  # a retried terminate
    assert Statement.objects.count() == count + 1  # only the one `terminated`
    assert verbs(rep)[-1] == "terminated"


def test_session_time_is_never_counted_beyond_the_clock(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, package = scorm12_lesson
    rep, sco = cast.rep_a1, package.scos.get()
    commit(
        rep, lesson, sco, uuid.uuid4(), {"cmi.core.lesson_status": "incomplete", "cmi.core.session_time": "05:00:00"}
    )
    # The session started just now: at most the clock's time plus a minute's grace is counted.
    assert ScoState.objects.get(rep=rep).session_seconds <= 61
    assert LessonProgress.objects.get(user=rep, lesson_id=lesson.pk).time_spent_seconds <= 61


def test_suspend_data_resumes_on_another_device(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, package = scorm12_lesson
    rep, sco = cast.rep_a1, package.scos.get()
    suspended = {
        "cmi.core.lesson_status": "incomplete",
        "cmi.core.lesson_location": "slide-7",
        "cmi.core.exit": "suspend",
        "cmi.core.session_time": "00:00:30",
        "cmi.suspend_data": "viewed=1,2,3",
    }
    commit(rep, lesson, sco, uuid.uuid4(), suspended, terminate=True, now=timezone.now() + timedelta(minutes=1))
    state = ScoState.objects.get(rep=rep, sco=sco)
    data = runtime.resume_data(state=state, sco=sco, rep=rep)  # what the phone's player starts from
    assert data["core"]["entry"] == "resume"
    assert data["core"]["lesson_location"] == "slide-7"
    assert data["core"]["total_time"] == "0000:00:30"
    assert data["suspend_data"] == "viewed=1,2,3"
    assert verbs(rep)[-1] == "suspended"
    commit(rep, lesson, sco, uuid.uuid4(), {"cmi.core.lesson_status": "incomplete"})  # the next session
    assert verbs(rep)[-1] == "resumed"


def test_a_multi_sco_lesson_completes_only_when_every_sco_is_done(cast: Any, multi_sco_lesson: Any) -> None:
    _course, lesson, package = multi_sco_lesson
    rep = cast.rep_a1
    first, second = package.scos.all()
    commit(rep, lesson, first, uuid.uuid4(), {"cmi.core.lesson_status": "completed"})
    lp = LessonProgress.objects.get(user=rep, lesson_id=lesson.pk)
    assert lp.completed_at is None  # a SCO's `completed` is not the lesson's
    commit(rep, lesson, second, uuid.uuid4(), {"cmi.core.lesson_status": "failed", "cmi.core.score.raw": "40"})
    lp.refresh_from_db()
    assert lp.completed_at is None  # failed is not done
    commit(rep, lesson, second, uuid.uuid4(), {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85"})
    lp.refresh_from_db()
    assert lp.completed_at is not None


def test_a_scorm2004_commit_reads_completion_success_and_the_scaled_score(cast: Any, scorm2004_lesson: Any) -> None:
    _course, lesson, package = scorm2004_lesson
    rep, sco = cast.rep_a1, package.scos.get()
    data = {
        "cmi.completion_status": "completed",
        "cmi.success_status": "passed",
        "cmi.score.scaled": "0.85",
        "cmi.score.raw": "85",
        "cmi.session_time": "PT1M10S",
        "cmi.interactions.0.id": "q1",
        "cmi.interactions.0.type": "choice",
        "cmi.interactions.0.learner_response": "a[,]c",
        "cmi.interactions.0.result": "incorrect",
        "cmi.interactions.0.description": "正しいものを選んでください",
    }
    state = commit(rep, lesson, sco, uuid.uuid4(), data, now=timezone.now() + timedelta(minutes=2))
    assert (state.completion, state.success, state.score_scaled) == ("completed", "passed", 0.85)
    answered = Statement.objects.get(actor=rep, verb=ADL + "answered")
    assert answered.result == {"response": "a[,]c", "success": False}
    assert answered.object_name == {"ja-JP": "正しいものを選んでください"}
    assert LessonProgress.objects.get(user=rep, lesson_id=lesson.pk).completed_at is not None
    resume = runtime.resume_data(state=state, sco=sco, rep=rep)
    assert resume["scaled_passing_score"] == "0.8" and resume["success_status"] == "passed"


def test_it_refuses_a_commit_that_is_not_a_data_model(cast: Any, scorm12_lesson: Any) -> None:
    from kizuna.packages.services import PackageError

    _course, lesson, package = scorm12_lesson
    with pytest.raises(PackageError):
        commit(cast.rep_a1, lesson, package.scos.get(), uuid.uuid4(), ["not", "a", "dict"])  # type: ignore[arg-type]
    assert not ScoState.objects.exists()


def test_every_statement_a_commit_makes_is_valid_xapi(cast: Any, scorm12_lesson: Any) -> None:
    from kizuna.records.services import statement_to_xapi
    from kizuna.records.tests.xapi_validation import xapi_problems

    _course, lesson, package = scorm12_lesson
    rep, sco, session, start = cast.rep_a1, package.scos.get(), uuid.uuid4(), timezone.now()
    commit(rep, lesson, sco, session, {"cmi.core.lesson_status": "incomplete"}, now=start)
    commit(rep, lesson, sco, session, PASSED_12, terminate=True, now=start + timedelta(minutes=3))
    statements = Statement.objects.filter(actor=rep)
    assert statements.count() >= 8
    for st in statements:
        assert xapi_problems(statement_to_xapi(st)) == [], st.verb
