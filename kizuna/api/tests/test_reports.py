"""GET /reports/progress: a partner manager's view of their reps' progress per assigned course."""

from kizuna.records import services as records
from kizuna.records import time_reports

from .conftest import assert_problem, first_lesson


def _rows(caller, **params):
    response = caller.get("/reports/progress", **params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_manager_sees_one_row_per_rep_and_course(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    records.lesson_launch(rep=cast.rep_a1, lesson=lesson)
    time_reports.lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=90)
    records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    body = _rows(api_as(cast.manager_a))
    assert body["count"] == 2
    by_rep = {row["rep"]["id"]: row for row in body["items"]}
    row = by_rep[cast.rep_a1.pk]
    assert row["rep"]["team"] == {"id": cast.team_a1.pk, "name": cast.team_a1.name}
    assert row["course"] == {"id": article_course.pk, "title": "製品の基本"}
    assert row["required"] is True and row["overdue"] is False and row["due_at"]
    assert row["percent"] == 50 and row["time_spent_minutes"] == 2 and row["last_activity_at"]
    assert by_rep[cast.rep_a2.pk]["percent"] == 0 and by_rep[cast.rep_a2.pk]["last_activity_at"] is None


def test_a_team_filter_narrows_the_rows(cast, api_as, article_course):
    body = _rows(api_as(cast.manager_a), team_id=cast.team_a2.pk)
    assert [row["rep"]["id"] for row in body["items"]] == [cast.rep_a2.pk]


def test_partner_b_manager_gets_404_for_partner_a(cast, api_as, article_course):
    caller = api_as(cast.manager_b)
    assert_problem(caller.get("/reports/progress", partner_id=cast.partner_a.pk), 404)
    assert_problem(caller.get("/reports/progress", team_id=cast.team_a1.pk), 404)
    assert _rows(caller)["count"] == 0


def test_reps_and_authors_get_404(cast, api_as, article_course):
    assert_problem(api_as(cast.rep_a1).get("/reports/progress"), 404)
    assert_problem(api_as(cast.author).get("/reports/progress"), 404)


def test_admins_and_coaches_may_choose_any_partner(cast, api_as, article_course):
    assert _rows(api_as(cast.admin), partner_id=cast.partner_a.pk)["count"] == 2
    assert _rows(api_as(cast.coach), partner_id=cast.partner_b.pk)["count"] == 0


def test_admins_must_choose_a_partner(cast, api_as, article_course):
    body = assert_problem(api_as(cast.admin).get("/reports/progress"), 422)
    assert body["errors"][0]["loc"] == ["query", "partner_id"]


def test_a_team_of_another_partner_than_the_one_chosen_is_404(cast, api_as, article_course):
    caller = api_as(cast.admin)
    assert_problem(caller.get("/reports/progress", partner_id=cast.partner_b.pk, team_id=cast.team_a1.pk), 404)


def test_the_report_costs_a_fixed_number_of_queries(
    cast, api_as, article_course, video_course, django_assert_num_queries
):
    for rep in (cast.rep_a1, cast.rep_a2):
        records.lesson_launch(rep=rep, lesson=first_lesson(article_course))
    caller = api_as(cast.manager_a)
    caller.get("/me")
    with django_assert_num_queries(4):  # token with its person, reps, assignments, progress
        body = caller.get("/reports/progress").json()
    assert body["count"] == 4
