"""GET /courses and /courses/{id}: published courses the caller may open."""

from kizuna.records import services as records

from .conftest import assert_problem, first_lesson


def test_a_rep_lists_the_courses_assigned_to_them(cast, api_as, article_course):
    body = api_as(cast.rep_a1).get("/courses").json()
    assert body["count"] == 1
    (course,) = body["items"]
    assert course["id"] == article_course.pk and course["title"] == "製品の基本"
    assert course["version"] == 1 and course["lesson_count"] == 2


def test_partner_b_sees_none_of_partner_a_courses(cast, api_as, article_course):
    assert api_as(cast.rep_b1).get("/courses").json()["count"] == 0
    assert api_as(cast.manager_b).get("/courses").json()["count"] == 0


def test_a_course_has_its_modules_lessons_and_the_reps_progress(cast, api_as, article_course):
    lesson = first_lesson(article_course)
    records.lesson_launch(rep=cast.rep_a1, lesson=lesson)
    records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    body = api_as(cast.rep_a1).get(f"/courses/{article_course.pk}").json()
    (module,) = body["modules"]
    assert module["title"] == "はじめに"
    assert [item["title"] for item in module["lessons"]] == ["創業者の想い", "よくある質問"]
    assert [item["completed"] for item in module["lessons"]] == [True, False]
    assert module["lessons"][0]["id"] == lesson.pk and module["lessons"][0]["kind"] == "article"
    assert body["progress"]["percent"] == 50


def test_staff_see_a_course_without_progress(cast, api_as, article_course):
    body = api_as(cast.author).get(f"/courses/{article_course.pk}").json()
    assert body["progress"] is None
    assert body["modules"][0]["lessons"][0]["completed"] is None


def test_partner_b_gets_404_for_partner_a_course(cast, api_as, article_course):
    body = assert_problem(api_as(cast.rep_b1).get(f"/courses/{article_course.pk}"), 404)
    assert body["type"].endswith("/not-found")
    assert_problem(api_as(cast.manager_b).get(f"/courses/{article_course.pk}"), 404)


def test_the_course_list_costs_a_fixed_number_of_queries(
    cast, api_as, article_course, video_course, django_assert_num_queries
):
    caller = api_as(cast.rep_a1)
    caller.get("/me")  # the token's last use is written once a minute; later calls only read
    with django_assert_num_queries(3):  # token with its person, count, page
        body = caller.get("/courses").json()
    assert body["count"] == 2


def test_a_course_costs_a_fixed_number_of_queries(cast, api_as, article_course, django_assert_num_queries):
    for lesson in article_course.latest_version.lessons.all():
        records.lesson_launch(rep=cast.rep_a1, lesson=lesson)
    caller = api_as(cast.rep_a1)
    caller.get("/me")
    # token, state tokens, the courses the rep may open (then kept), the course (then kept), modules, lessons,
    # lesson progress, course progress
    with django_assert_num_queries(8):
        caller.get(f"/courses/{article_course.pk}")
    with django_assert_num_queries(6):  # once kept: token, state tokens, modules, lessons, both progresses
        caller.get(f"/courses/{article_course.pk}")
