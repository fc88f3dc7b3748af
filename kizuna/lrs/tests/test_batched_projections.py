"""A batch about our reps is stored in runs (records.batch: launches and time reports together) with exactly the
projections of storing each statement alone: the same batch for two reps of one agency, one stored in runs and
the other one by one, leaves the same rows behind (statements, lesson and course progress, learning days, points,
certification evidence), in fewer queries."""

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kizuna.certification.models import Evidence
from kizuna.gamification.models import PointAward
from kizuna.lrs import feed
from kizuna.records.models import CourseProgress, LearningDay, LessonProgress, Statement
from kizuna.records.projections import COURSE_PROGRESS_FIELDS, LEARNING_DAY_FIELDS, LESSON_PROGRESS_FIELDS

ADL = "http://adlnet.gov/expapi/verbs/"


def _batch(rep: Any, lessons: list[str], course: str) -> list[dict[str, Any]]:
    def about(verb: str, iri: str, duration: str | None = None) -> dict[str, Any]:
        st: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "actor": {"mbox": f"mailto:{rep.email}"},
            "verb": {"id": ADL + verb},
            "object": {"id": iri},
        }
        if duration:
            st["result"] = {"duration": duration}
        return st

    first, second = lessons
    return [
        about("launched", first),
        about("progressed", first, "PT30S"),
        about("progressed", first, "PT5M"),  # told in three parts of at most 120 s
        about("progressed", course, "PT90S"),
        about("completed", first),  # applied alone, in its place
        about("launched", second),
        about("experienced", second, "PT45S"),
        about("completed", second),  # the last lesson: the course is completed too
        about("progressed", second, "PT10S"),
        about("launched", "https://elsewhere.example/not-ours"),  # stored only
    ]


def _rows(rep: Any) -> dict[str, Any]:
    def without_user(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if k != "user_id"}

    statements = Statement.objects.filter(actor=rep).order_by("seq")
    return {
        "statements": [
            (st.verb, st.object_iri, st.lesson_id, st.course_id, st.duration_seconds, st.timestamp, st.result)
            for st in statements
        ],
        "lessons": sorted(
            (without_user(r) for r in LessonProgress.objects.filter(user=rep).values(*LESSON_PROGRESS_FIELDS)),
            key=lambda r: r["lesson_id"],
        ),
        "courses": [without_user(r) for r in CourseProgress.objects.filter(user=rep).values(*COURSE_PROGRESS_FIELDS)],
        "days": [without_user(r) for r in LearningDay.objects.filter(user=rep).values(*LEARNING_DAY_FIELDS)],
        "points": sorted(PointAward.objects.filter(user=rep).values_list("kind", "points")),
        "evidence": sorted(Evidence.objects.filter(rep=rep).values_list("kind", "course_id")),
    }


@pytest.mark.parametrize("eager", [True, False])
def test_a_batch_stored_in_runs_leaves_exactly_what_one_by_one_leaves(
    cast, article_course, principal_lrs, monkeypatch, settings, eager
):
    from kizuna.catalog.selectors import course_iri, lesson_activity_data
    from kizuna.records.projector import drain

    settings.PROJECTIONS_EAGER = eager
    lessons = [lesson_activity_data(lesson)["iri"] for lesson in article_course.latest_version.lessons.all()]
    lessons.sort()
    course = course_iri(article_course)
    moment = timezone.now()
    with monkeypatch.context() as frozen:
        frozen.setattr(timezone, "now", lambda: moment)  # both batches at one moment, so their times compare
        with CaptureQueriesContext(connection) as in_runs:
            response = principal_lrs.post("/xapi/statements", _batch(cast.rep_a1, lessons, course))
        assert response.status_code == 200, response.content
        with monkeypatch.context() as patched:
            patched.setattr(feed, "_built", lambda **_args: None)  # every statement alone, as before runs
            with CaptureQueriesContext(connection) as alone:
                response = principal_lrs.post("/xapi/statements", _batch(cast.rep_a2, lessons, course))
        assert response.status_code == 200, response.content
        drain()
    batched, one_by_one = _rows(cast.rep_a1), _rows(cast.rep_a2)
    assert len(batched["statements"]) == 12  # 9 about our lessons and course, 2 more parts, the course completed
    assert batched["courses"][0]["completed_at"] is not None and batched["points"]
    assert batched == one_by_one
    assert len(in_runs.captured_queries) < len(alone.captured_queries) - 20
