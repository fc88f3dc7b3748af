"""GET /me and /me/assignments."""

from kizuna.records import services as records

from .conftest import first_lesson


def test_me_describes_the_caller(cast, api_as):
    body = api_as(cast.rep_a1).get("/me").json()
    assert body["public_id"] == str(cast.rep_a1.public_id)
    assert body["name"] == cast.rep_a1.name
    assert body["role"] == "rep"
    assert body["organization"] == {"id": cast.partner_a.pk, "name": cast.partner_a.name, "kind": "partner"}
    assert body["team"] == {"id": cast.team_a1.pk, "name": cast.team_a1.name}


def test_my_assignments_list_the_reps_courses_with_progress(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    records.lesson_launch(rep=cast.rep_a1, lesson=lesson)
    records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    body = api_as(cast.rep_a1).get("/me/assignments").json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["course"] == {"id": article_course.pk, "title": article_course.title}
    assert item["required"] is True and item["due_at"] and item["overdue"] is False
    assert item["progress"]["percent"] == 50
    assert item["progress"]["completed"] is False and item["progress"]["last_activity_at"]


def test_partner_b_reps_have_no_assignments_of_partner_a(cast, api_as, article_course):
    assert api_as(cast.rep_b1).get("/me/assignments").json() == {"items": [], "count": 0}


def test_my_assignments_are_paginated(cast, api_as, article_course, video_course):
    caller = api_as(cast.rep_a1)
    assert caller.get("/me/assignments", limit=1).json()["count"] == 2
    assert len(caller.get("/me/assignments", limit=1).json()["items"]) == 1
    assert len(caller.get("/me/assignments", limit=1, offset=1).json()["items"]) == 1


def test_my_assignments_cost_a_fixed_number_of_queries(
    cast, api_as, article_course, video_course, django_assert_num_queries
):
    records.lesson_launch(rep=cast.rep_a1, lesson=first_lesson(article_course))
    caller = api_as(cast.rep_a1)
    caller.get("/me")
    with django_assert_num_queries(5):  # token with its person, assignments, progress, lessons, lessons done
        assert caller.get("/me/assignments").json()["count"] == 2
