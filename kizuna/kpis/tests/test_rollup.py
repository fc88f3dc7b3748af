from datetime import date
from typing import Any

from conftest import publish_course
from kizuna.kpis import projections
from kizuna.kpis.models import CourseCompletion, LearningMonth, Recognition
from kizuna.records import services as records

from . import builders

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def _rows() -> list[tuple[Any, ...]]:
    names = [f.name for f in LearningMonth._meta.fields if f.name != "id"]
    months = sorted(
        tuple(getattr(r, n if n not in ("rep", "partner") else n + "_id") for n in names)
        for r in LearningMonth.objects.all()
    )
    completions = sorted(CourseCompletion.objects.values_list("rep_id", "course_id", "completed_at"))
    recognitions = sorted(Recognition.objects.values_list("statement_id", "rep_id", "month", "kind", "voided"))
    return [months, completions, recognitions]


def _learn(cast: Any) -> None:
    builders.quiz(cast.rep_a1, 0.8, SEP)
    builders.quiz(cast.rep_a1, 0.6, SEP, passed=False)
    builders.scenario(cast.rep_a1, 0.75, OCT)
    builders.roleplay(cast.rep_a1, 0.9, OCT, passed=True)
    kept = builders.recognition(cast.rep_a1, OCT, "accepted")
    withdrawn = builders.recognition(cast.rep_a1, OCT, "upvoted")
    builders.recognition(cast.rep_b1, OCT, "upvoted")
    builders.void(cast.rep_a2, withdrawn, OCT)
    assert kept


def test_statements_roll_up_per_rep_and_month(cast: Any) -> None:
    _learn(cast)
    sep = LearningMonth.objects.get(rep=cast.rep_a1, month=SEP)
    assert (sep.quizzes, sep.quiz_score_units, sep.partner_id) == (2, 14000, cast.partner_a.pk)
    oct_ = LearningMonth.objects.get(rep=cast.rep_a1, month=OCT)
    assert (oct_.scenarios, oct_.alignment_units) == (1, 7500)
    assert (oct_.roleplays, oct_.roleplay_score_units, oct_.roleplays_passed) == (1, 9000, 1)
    # The withdrawn up-vote does not count.
    assert (oct_.answers_accepted, oct_.answers_upvoted) == (1, 0)


def test_a_course_completion_counts_once(cast: Any, article_course: Any) -> None:
    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    completion = CourseCompletion.objects.get()
    assert (completion.rep_id, completion.course_id) == (cast.rep_a1.pk, article_course.pk)
    assert LearningMonth.objects.get(rep=cast.rep_a1).courses_completed == 1


def test_the_rebuild_makes_the_same_rows_as_the_live_rollup(cast: Any, article_course: Any) -> None:
    _learn(cast)
    other = publish_course(cast, slug="two", title="二つ目", lessons=[{"kind": "article", "title": "a", "body": "b"}])
    for course in (article_course, other):
        for lesson in course.latest_version.lessons.all():
            records.lesson_complete(rep=cast.rep_a2, lesson=lesson)
    live = _rows()
    assert live[0] and live[1] and live[2]
    projections.rebuild()
    assert _rows() == live


def test_a_partners_rebuild_gives_the_full_rebuilds_rows_and_leaves_the_other_agency(
    cast: Any, article_course: Any
) -> None:
    from kizuna.kpis.models import CompletionSnapshot, SalesMonth
    from kizuna.records.tests.partner_rebuild import Table, assert_partner_rebuild, partner_rows, rep_rows

    _learn(cast)
    builders.void(cast.rep_b1, builders.recognition(cast.rep_a2, OCT), OCT)  # voided by another agency's rep
    for rep in (cast.rep_a2, cast.rep_b1):
        for lesson in article_course.latest_version.lessons.all():
            records.lesson_complete(rep=rep, lesson=lesson)
    builders.figures(cast.admin, cast.rep_a1, SEP, 100, 10, 2, 1000)
    builders.figures(cast.admin, cast.rep_b1, SEP, 10, 1, 1, 5)
    month = [f.name for f in LearningMonth._meta.fields if f.name not in ("id", "rep", "partner")]
    sums = ("month", "reps", "calls", "appointments", "deals", "revenue")
    assert_partner_rebuild(
        cast,
        ("kpis", "kpis_sales", "kpis_completion"),
        [
            Table(LearningMonth, ("rep_id", "partner_id", *month), rep_rows()),
            Table(CourseCompletion, ("rep_id", "partner_id", "course_id", "completed_at"), rep_rows()),
            Table(Recognition, ("statement_id", "rep_id", "month", "kind", "voided"), rep_rows()),
            Table(SalesMonth, ("partner_id", *sums), partner_rows),
            Table(CompletionSnapshot, ("partner_id", "team_id", "reps", "required", "completed"), partner_rows),
        ],
    )
