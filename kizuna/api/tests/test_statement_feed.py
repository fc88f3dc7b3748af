"""GET /statements: xAPI statements, scoped to what the caller may see."""

from kizuna.records import services as records
from kizuna.records import time_reports

from .conftest import first_lesson


def _ids(caller, **params):
    return {item["id"] for item in caller.get("/statements", **params).json()["items"]}


def _learn(cast, article_course):
    lesson = first_lesson(article_course)
    a1 = records.lesson_launch(rep=cast.rep_a1, lesson=lesson)
    a2 = records.lesson_launch(rep=cast.rep_a2, lesson=lesson)
    # Partner B's rep learns a course of their own partner's: assign the course to B too.
    from kizuna.catalog import services as catalog

    catalog.assignment_create(course=article_course, assigned_by=cast.admin, required=False, partner=cast.partner_b)
    b1 = records.lesson_launch(rep=cast.rep_b1, lesson=lesson)
    return str(a1.id), str(a2.id), str(b1.id)


def test_statements_are_xapi(cast, api_as, article_course):
    a1, _a2, _b1 = _learn(cast, article_course)
    (item,) = [i for i in api_as(cast.rep_a1).get("/statements").json()["items"] if i["id"] == a1]
    assert item["actor"]["account"]["name"] == str(cast.rep_a1.public_id)
    assert item["verb"]["id"] == "http://adlnet.gov/expapi/verbs/launched"
    assert item["object"]["id"].startswith("http") and item["version"] == "1.0.3"


def test_a_rep_sees_only_their_own(cast, api_as, article_course):
    a1, a2, b1 = _learn(cast, article_course)
    assert _ids(api_as(cast.rep_a1)) == {a1}


def test_a_manager_sees_their_reps_and_never_another_partners(cast, api_as, article_course):
    a1, a2, b1 = _learn(cast, article_course)
    assert _ids(api_as(cast.manager_a)) == {a1, a2}
    assert _ids(api_as(cast.manager_b)) == {b1}
    assert a1 not in _ids(api_as(cast.rep_b1))


def test_admins_and_coaches_see_everyone(cast, api_as, article_course):
    a1, a2, b1 = _learn(cast, article_course)
    assert {a1, a2, b1} <= _ids(api_as(cast.coach))


def test_since_and_ascending_page_through_new_statements(cast, api_as, article_course):
    a1, a2, b1 = _learn(cast, article_course)
    caller = api_as(cast.manager_a)
    items = caller.get("/statements", ascending="true").json()["items"]
    assert [i["id"] for i in items] == [a1, a2]
    assert _ids(caller, since=items[0]["stored"]) == {a2}


def test_the_feed_costs_a_fixed_number_of_queries(cast, api_as, article_course, django_assert_num_queries):
    _learn(cast, article_course)
    for lesson in article_course.latest_version.lessons.all():
        time_reports.lesson_time_record(rep=cast.rep_a2, lesson=lesson, seconds=20)
    caller = api_as(cast.admin)
    caller.get("/me")
    with django_assert_num_queries(3):  # token with its person, count, page
        body = caller.get("/statements").json()
    assert body["count"] >= 5
